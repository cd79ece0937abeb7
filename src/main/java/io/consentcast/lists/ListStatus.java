package io.consentcast.lists;

public enum ListStatus {
    /** Takes new subscribers. */
    OPEN,
    /** Takes no new subscribers; existing consents and opt-outs keep working. */
    CLOSED
}
