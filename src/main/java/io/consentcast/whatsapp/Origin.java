package io.consentcast.whatsapp;

/**
 * Where an inbound fact came from: Meta (a signed webhook) or the sandbox, which plays Meta's part.
 * Consent recorded from a SANDBOX fact is evidence of a test, never of a real WhatsApp message.
 */
public enum Origin {
    META, SANDBOX;

    /** The origin of a stored inbox payload ({@link InboxEntry#source}). */
    static Origin ofInboxSource(String source) {
        return InboxEntry.SOURCE_SANDBOX.equals(source) ? SANDBOX : META;
    }
}
