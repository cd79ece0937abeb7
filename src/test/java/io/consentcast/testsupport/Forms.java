package io.consentcast.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a browser would submit from a page's HTML. */
public final class Forms {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private Forms() {
    }

    /** The CSRF token of the page's first form; fails the test when the page has none. */
    public static String csrfToken(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "the page has no form with a CSRF field");
        return m.group(1);
    }

    /** The hidden fields of the "send again" form of a "form expired" page, as a browser would send them. */
    public static Map<String, String> resendFields(String html) {
        int start = html.indexOf("id=\"resend\"");
        assertTrue(start > 0, "no form to send again: " + html);
        String form = html.substring(start, html.indexOf("</form>", start));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(form);
        while (m.find()) {
            fields.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return fields;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
