package io.consentcast.whatsapp;

import java.util.List;

/** A message to one WhatsApp user: an approved template with its parameters, or free text (24-hour window only). */
public sealed interface OutgoingMessage {

    /** The recipient's WhatsApp id: international digits without "+". */
    String to();

    /**
     * A template message. {@code bodyParameters} fill {{1}}, {{2}}, ... of the body in order;
     * {@code quickReplyPayloads} (optional, by button index) are returned to us when the user taps the button.
     */
    record Template(String to, String name, String language, List<String> bodyParameters,
            List<String> quickReplyPayloads) implements OutgoingMessage {
        public Template {
            bodyParameters = bodyParameters == null ? List.of() : List.copyOf(bodyParameters);
            quickReplyPayloads = quickReplyPayloads == null ? List.of() : List.copyOf(quickReplyPayloads);
        }
    }

    /** A free-form text message, allowed only within 24 hours after the user last wrote to us. */
    record Text(String to, String body) implements OutgoingMessage {
    }
}
