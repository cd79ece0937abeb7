package io.consentcast.consent;

/** Where an event came from; the event's source detail says more (URL, message, job). */
public enum EventSource {
    LANDING_PAGE, WHATSAPP, API, ADMIN, IMPORT, SYSTEM
}
