package io.consentcast.whatsapp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one renderer of a template body, used wherever a message's text is shown or produced: the issue
 * preview (page and API), the sandbox phone's message, and the order of the body parameters in the Cloud
 * API payload (Meta renders them itself, by the same rule). A placeholder is {@code {{1}}}, {@code {{2}}} or a
 * named one ({@code {{first_name}}}); the parameters fill the distinct placeholders in their order of first
 * appearance. Rendering is one pass over the body: a parameter's value is inserted as it is, so a value that
 * itself contains {@code {{2}}} stays literally {@code {{2}}} (as Meta shows it), never filled in turn.
 * A placeholder without a parameter stays as written.
 */
public final class TemplateBody {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*\\}\\}");

    private TemplateBody() {
    }

    /** The distinct placeholder names of {@code body} in order of first appearance, e.g. ["1","2"]. */
    public static List<String> placeholders(String body) {
        Set<String> out = new LinkedHashSet<>();
        if (body != null) {
            Matcher m = PLACEHOLDER.matcher(body);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return List.copyOf(out);
    }

    /** One body parameter as the Cloud API takes it: {@code name} for a named placeholder, null for {{1}}, {{2}}. */
    public record Parameter(String name, String value) {
    }

    /**
     * The body parameters of a Cloud API request: the values in placeholder order, each with its placeholder's
     * name when the template's placeholders are named ({@code placeholders} as {@link #placeholders} gives them;
     * empty or numeric: positional).
     */
    public static List<Parameter> parameters(List<String> placeholders, List<String> values) {
        List<Parameter> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String name = i < placeholders.size() && !placeholders.get(i).chars().allMatch(Character::isDigit)
                    ? placeholders.get(i) : null;
            out.add(new Parameter(name, values.get(i)));
        }
        return out;
    }

    /** {@code body} with its placeholders replaced by {@code parameters}, in one pass; "" for no body. */
    public static String render(String body, List<String> parameters) {
        if (body == null) {
            return "";
        }
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder(body.length());
        while (m.find()) {
            String name = m.group(1);
            int index = names.indexOf(name);
            if (index < 0) {
                names.add(name);
                index = names.size() - 1;
            }
            String value = index < parameters.size() && parameters.get(index) != null ? parameters.get(index)
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
