package io.consentcast.whatsapp;

/** The life of a reply in {@link ReplyOutbox}. */
public enum OutboxState {
    /** Waiting to be sent (first time, or again after a failure Meta answered with). */
    PENDING,
    /** Claimed by a sender and on the wire. */
    SENDING,
    /** Accepted by Meta. */
    SENT,
    /** Refused by Meta for good (permanent error): not retried. */
    FAILED,
    /** The 24-hour window the user opened closed before the reply could go: a free-form text may no longer be sent. */
    EXPIRED,
    /** No answer came (timeout, or the instance died while sending): Meta may have accepted it, so it is not resent. */
    UNKNOWN
}
