package io.consentcast.whatsapp;

import java.time.Duration;

/** The outcome of a send: accepted by the provider (with its message id) or a classified failure. */
public sealed interface SendResult {

    /** Accepted (HTTP 200): not yet delivered; statuses follow by webhook for {@code messageId}. */
    record Accepted(String messageId) implements SendResult {
    }

    /**
     * A failure. {@code code} is Meta's error code (null for timeouts and network errors),
     * {@code retryNotBefore} a minimum pause suggested for retries (may be null),
     * {@code suppressRecipient} true when the user stopped marketing messages (131050).
     */
    record Failed(ErrorClass errorClass, Integer code, String message, String details, Duration retryNotBefore,
            boolean suppressRecipient) implements SendResult {
    }

    default boolean accepted() {
        return this instanceof Accepted;
    }
}
