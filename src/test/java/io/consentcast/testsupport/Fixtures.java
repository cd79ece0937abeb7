package io.consentcast.testsupport;

import java.util.HashMap;
import java.util.Map;

/** Request bodies that many tests need. */
public final class Fixtures {

    public static final String CONSENT_TEXT =
            "Ja, ich möchte das Morgenbriefing per WhatsApp erhalten. Abmeldung jederzeit mit STOP.";

    private Fixtures() {
    }

    /** A German MARKETING list with its legal links; a mutable map so tests can break fields. */
    public static Map<String, Object> germanList(String slug, String keyword) {
        Map<String, Object> body = new HashMap<>();
        body.put("slug", slug);
        body.put("name", "Morgenbriefing");
        body.put("description", "Jeden Morgen um 6:30 die wichtigsten Nachrichten.");
        body.put("language", "de");
        body.put("purpose", "MARKETING");
        body.put("keyword", keyword);
        body.put("consentText", CONSENT_TEXT);
        body.put("imprintUrl", "https://example.org/impressum");
        body.put("privacyUrl", "https://example.org/datenschutz");
        return body;
    }
}
