package io.consentcast.whatsapp;

/**
 * Why a correctly signed webhook payload can never be processed. Such a payload is acknowledged to Meta
 * (retrying it would change nothing), parked at once and shown to operators and, when it was routed to a
 * workspace, to that workspace's admins.
 */
public enum ParkReason {
    /** Not JSON at all. */
    MALFORMED_JSON,
    /** JSON, but not Meta's envelope: {@code entry}, {@code changes}, {@code value} of the wrong type. */
    MALFORMED_STRUCTURE,
    /** A phone number id no workspace has connected (or a sandbox id naming no workspace). */
    UNKNOWN_PHONE_NUMBER,
    /** A template update for a WhatsApp Business Account no workspace has connected. */
    UNKNOWN_ACCOUNT,
    /** A message, status or preference without a field it must have (id, sender, timestamp, ...). */
    MISSING_FIELD,
    /** A timestamp that is not seconds since 1970 within the accepted range. */
    TIMESTAMP_OUT_OF_RANGE,
    /** A text, id or name longer than Meta ever sends. */
    OVERSIZED,
    /** A NUL character, which no database text can hold. */
    NUL_CHARACTER
}
