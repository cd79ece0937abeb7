package io.consentcast.lists;

/** What a list is for; it decides which template categories may be sent to it. */
public enum ListPurpose {
    /** A newsletter: promotional content, MARKETING templates. */
    MARKETING,
    /** Alerts and service messages: UTILITY templates only. */
    UTILITY
}
