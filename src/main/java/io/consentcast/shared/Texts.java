package io.consentcast.shared;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Error and validation texts in English and German. Services raise errors with a code
 * ({@code slug.taken}); the API answers in English, pages in the page's language. A text
 * that is not a known code is shown as it is.
 */
public final class Texts {

    private static final String BUNDLE = "i18n.errors";

    private Texts() {
    }

    public static String resolve(String codeOrText, Locale locale, Object... args) {
        if (codeOrText == null) {
            return null;
        }
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(BUNDLE, locale, Texts.class.getClassLoader(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES))
                    .getString(codeOrText);
        } catch (MissingResourceException e) {
            return codeOrText;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    public static String english(String codeOrText) {
        return resolve(codeOrText, Locale.ENGLISH);
    }
}
