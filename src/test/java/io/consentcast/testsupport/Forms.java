package io.consentcast.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
