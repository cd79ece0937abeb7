package io.consentcast.web;

import java.util.List;
import java.util.Locale;

/** The page languages Consentcast speaks, and how a browser's preference maps to them. */
public final class Languages {

    public static final List<String> SUPPORTED = List.of("en", "de");

    private Languages() {
    }

    public static boolean supported(String tag) {
        return tag != null && SUPPORTED.contains(tag);
    }

    public static Locale fromAcceptLanguage(String header) {
        if (header != null && !header.isBlank()) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                    String lang = range.getRange().split("-")[0].toLowerCase(Locale.ROOT);
                    if (supported(lang)) {
                        return Locale.forLanguageTag(lang);
                    }
                }
            } catch (IllegalArgumentException e) {
                // A malformed header falls back to English.
            }
        }
        return Locale.ENGLISH;
    }
}
