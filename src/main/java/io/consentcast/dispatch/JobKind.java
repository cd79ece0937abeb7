package io.consentcast.dispatch;

/**
 * What a platform job ({@link DispatchJob}) asks of the engine: START an issue that waits (scheduled, blocked,
 * paused by the system; claimed by one instance with a lease), PREPARE the audience of a started one (one
 * instance at a time, holding the lease, decides the next chunk of members; every instance sends the rows decided
 * so far), or RUN a sending one (fed by every instance, re-checked by one at a time). Stored by name (the check
 * constraint of {@code dispatch_jobs.kind}).
 */
public enum JobKind {
    START, PREPARE, RUN
}
