package io.consentcast.optin;

import java.util.Locale;
import java.util.Map;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Problem;
import io.consentcast.shared.Texts;

/**
 * An uploaded import file refused as a whole (400), before anything is stored: the text names the line
 * where the file stops being usable. {@code field} is the request part at fault ({@code file} or
 * {@code charset}); {@code line} is null when the fault is not on one line (an empty or oversized file).
 * The text's arguments are the line (when there is one) followed by the code's own details.
 */
public class ImportRejected extends ApiException {

    private final String field;
    private final Integer line;
    private final transient Object[] args;

    ImportRejected(String field, String code, Integer line, Object... args) {
        super(400, "Bad Request", code, Map.of(field, code));
        this.field = field;
        this.line = line;
        Object[] all = args;
        if (line != null) {
            all = new Object[args.length + 1];
            all[0] = line;
            System.arraycopy(args, 0, all, 1, args.length);
        }
        this.args = all;
    }

    static ImportRejected file(String code, Integer line, Object... args) {
        return new ImportRejected("file", code, line, args);
    }

    public String field() {
        return field;
    }

    public Integer line() {
        return line;
    }

    /** The explanation in {@code locale}, with the line and the other details filled in. */
    public String text(Locale locale) {
        return Texts.resolve(getMessage(), locale, args);
    }

    @Override
    public Problem toProblem(Locale locale) {
        String text = text(locale);
        return new Problem("about:blank", title(), status(), text, Map.of(field, text));
    }
}
