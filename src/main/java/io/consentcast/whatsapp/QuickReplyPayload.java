package io.consentcast.whatsapp;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The payloads Consentcast sends with a template's quick-reply buttons and reads back from Meta's {@code button}
 * message when a reader taps one: {@code consentcast:unsubscribe:<list id>} withdraws that list like STOP. Which
 * button carries it is decided by its text, written once here: Unsubscribe, Abbestellen, Abmelden, Stop (any letter
 * case). Meta's own "Stop promotions" button is not one of them: Meta answers it with a marketing-preference
 * webhook.
 */
public final class QuickReplyPayload {

    /** Every payload of ours starts with this; a payload with it that we cannot read is ignored. */
    public static final String PREFIX = "consentcast:";
    private static final String UNSUBSCRIBE = PREFIX + "unsubscribe:";
    private static final Set<String> UNSUBSCRIBE_TEXTS = Set.of("UNSUBSCRIBE", "ABBESTELLEN", "ABMELDEN", "STOP",
            "ABMELDUNG");

    private QuickReplyPayload() {
    }

    /** The payload that withdraws {@code listId}. */
    public static String unsubscribe(UUID listId) {
        return UNSUBSCRIBE + listId;
    }

    /** Whether a quick-reply button with this text unsubscribes (and so gets {@link #unsubscribe}). */
    public static boolean unsubscribes(String buttonText) {
        if (buttonText == null) {
            return false;
        }
        String t = Normalizer.normalize(buttonText, Normalizer.Form.NFKC).trim().toUpperCase(Locale.ROOT);
        return UNSUBSCRIBE_TEXTS.contains(t);
    }

    /** Whether the payload is one of ours (then it is handled or ignored, never read as a command). */
    public static boolean ours(String payload) {
        return payload != null && payload.startsWith(PREFIX);
    }

    /** The list an unsubscribe payload names; empty for any other or malformed payload. */
    public static Optional<UUID> unsubscribedList(String payload) {
        if (payload == null || !payload.startsWith(UNSUBSCRIBE)) {
            return Optional.empty();
        }
        String id = payload.substring(UNSUBSCRIBE.length());
        if (!id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(id));
    }
}
