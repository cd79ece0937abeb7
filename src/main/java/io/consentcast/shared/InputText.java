package io.consentcast.shared;

/**
 * What text the application accepts from outside, in one place: no NUL (PostgreSQL refuses it in
 * text), no other control characters except tab, line feed and carriage return, no unpaired UTF-16
 * surrogates (they cannot be encoded), and at most {@link #MAX_LENGTH} characters in one value.
 * JSON bodies, query, path and form parameters are all checked against it before a resource sees them.
 */
public final class InputText {

    /** The longest single text value accepted (a consent text or a message is far shorter). */
    public static final int MAX_LENGTH = 65_536;

    /** Why a text is refused, as error codes in {@code i18n/errors_*.properties}. */
    public enum Fault {
        CONTROL("request.text-control"), SURROGATE("request.text-encoding"), TOO_LONG("request.text-too-long");

        public final String code;

        Fault(String code) {
            this.code = code;
        }
    }

    private InputText() {
    }

    /** The fault of {@code text}, or null when it is acceptable (null text is acceptable). */
    public static Fault fault(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_LENGTH) {
            return Fault.TOO_LONG;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return Fault.CONTROL;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return Fault.SURROGATE;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return Fault.SURROGATE;
            }
        }
        return null;
    }
}
