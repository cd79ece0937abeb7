package io.consentcast.whatsapp;

/**
 * What a sender should do after a failed send, classified from Meta's error code
 * (see {@link MetaErrors#classify}).
 */
public enum ErrorClass {
    /**
     * A definite refusal that may pass later: throughput or call-rate limits (130429, 4, 80007, HTTP 429), a
     * 5xx carrying Meta's error object, or a failure before the request was written (connection refused, DNS,
     * no pooled connection in time). Nothing was sent: retry the same message later with backoff.
     */
    RETRY_LATER,
    /**
     * The request was written but no definite answer came back (read timeout, connection reset after the
     * write, a 5xx without Meta's error object from something in front of the API, a 200 without a message
     * id). Meta may have accepted the message and WhatsApp has no idempotency key: never resend it blindly;
     * wait for a status webhook naming it ({@code biz_opaque_callback_data}).
     */
    OUTCOME_UNKNOWN,
    /** Pair rate limit (131056): too many messages to this user in a short time; delay this recipient only. */
    DELAY_RECIPIENT,
    /**
     * Permanent for this recipient: undeliverable (131026), marketing stopped by the user (131050,
     * {@link SendResult.Failed#suppressRecipient()} is true), or Meta's per-user marketing limit
     * (131049, not an opt-out: skip this recipient for this issue, or retry no sooner than
     * {@link SendResult.Failed#retryNotBefore()} = 24 hours).
     */
    PERMANENT_RECIPIENT,
    /** Permanent for this message/issue: template parameters or template missing (132000, 132001), free text outside the 24-hour window (131047). */
    PERMANENT_ISSUE,
    /** Stop the workspace's channel: token invalid (190), policy block (368), spam limit (131048). Needs an admin. */
    STOP_CHANNEL
}
