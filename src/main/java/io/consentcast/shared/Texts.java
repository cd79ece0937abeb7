package io.consentcast.shared;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Error and validation texts in English and German. Services raise errors with a code
 * ({@code slug.taken}); the API answers in English, pages in the page's language. A text
 * that is not a known code is shown as it is. A code {@code feature.detail} is looked up in
 * {@code i18n/feature_<lang>.properties} first, then in the shared {@code i18n/errors_<lang>.properties},
 * so each feature keeps its own texts.
 */
public final class Texts {

    private static final String BUNDLE = "i18n.errors";

    private Texts() {
    }

    public static String resolve(String codeOrText, Locale locale, Object... args) {
        if (codeOrText == null) {
            return null;
        }
        String pattern = null;
        int dot = codeOrText.indexOf('.');
        if (dot > 0 && codeOrText.indexOf(' ') < 0) {
            pattern = lookup("i18n." + codeOrText.substring(0, dot), codeOrText, locale);
            if (pattern == null) {
                pattern = lookup(BUNDLE, codeOrText, locale);
            }
        }
        if (pattern == null) {
            return codeOrText;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    private static String lookup(String bundle, String key, Locale locale) {
        try {
            return ResourceBundle.getBundle(bundle, locale, Texts.class.getClassLoader(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES))
                    .getString(key);
        } catch (MissingResourceException e) {
            return null;
        }
    }

    public static String english(String codeOrText) {
        return resolve(codeOrText, Locale.ENGLISH);
    }
}
