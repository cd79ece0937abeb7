package io.consentcast.consent;

/** What happened to a subscriber's consent. Stored by name; never renamed. */
public enum ConsentEventType {
    /** A subscription form was submitted (not yet proven). */
    REQUESTED,
    /** Control of the number was proven (e.g. the subscriber's own WhatsApp message). */
    CONFIRMED,
    /** The subscriber withdrew consent ("Stop", unsubscribe link, admin on request). */
    WITHDRAWN,
    /** A request or a consent lapsed (not confirmed in time, retention rules). */
    EXPIRED,
    /** The publisher imported the subscriber with a consent they hold elsewhere. */
    IMPORTED,
    /** The subscriber was asked to confirm an existing (e.g. imported) consent again. */
    REPERMISSION_REQUESTED,
    /** Messages must not be sent (Meta marketing stop, undeliverable number). */
    SUPPRESSED,
    /** A suppression ended. */
    UNSUPPRESSED,
    /** The subscriber's personal data was erased (GDPR Art. 17). Always for all lists. */
    ERASED
}
