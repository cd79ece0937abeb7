package io.consentcast.consent;

/**
 * Where an event came from; the event's source detail says more (URL, message, job). SANDBOX: a message
 * written on the sandbox phone, which plays Meta's part in a test workspace; it proves nothing about a real
 * WhatsApp number and never counts as WHATSAPP.
 */
public enum EventSource {
    LANDING_PAGE, WHATSAPP, API, ADMIN, IMPORT, SYSTEM, SANDBOX
}
