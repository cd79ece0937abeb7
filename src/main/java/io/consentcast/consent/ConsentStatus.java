package io.consentcast.consent;

/**
 * A subscriber's current consent for one list, derived from the ledger. {@link #SUPPRESSED}
 * overrides the underlying consent while a suppression lasts.
 */
public enum ConsentStatus {
    PENDING, CONFIRMED, WITHDRAWN, EXPIRED, IMPORTED, SUPPRESSED
}
