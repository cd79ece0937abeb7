package io.consentcast.whatsapp;

import java.time.Instant;

/**
 * A user wrote to a workspace's number (text, template quick-reply button or interactive reply).
 * Fired once per provider message id, synchronously inside the workspace's transaction: an
 * observer that throws rolls the handling back and the webhook is retried.
 *
 * @param type Meta's message type: text, button, interactive, or another type (image, ...) with no text
 * @param text the text body (type text), else null
 * @param buttonPayload the quick-reply payload (type button), else null
 * @param buttonText the button's text as the user saw it (type button), else null
 * @param replyId the interactive reply id (button_reply / list_reply), else null
 * @param replyTitle the interactive reply title, else null
 * @param contextMessageId the id of our message the user answered (button taps, replies), else null
 * @param origin META for Meta's webhooks, SANDBOX for what a team member wrote on the sandbox phone
 * @param phoneNumberId the workspace's number the user wrote to (Meta's phone number id): replies leave from it
 */
public record InboundMessage(String tenantId, String from, String profileName, String messageId, Instant timestamp,
        String type, String text, String buttonPayload, String buttonText, String replyId, String replyTitle,
        String contextMessageId, Origin origin, String phoneNumberId) {
}
