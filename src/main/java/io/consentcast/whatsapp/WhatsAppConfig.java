package io.consentcast.whatsapp;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** WhatsApp Business Platform settings under {@code consentcast.whatsapp.} (environment: {@code CONSENTCAST_WHATSAPP_...}). */
@ConfigMapping(prefix = "consentcast.whatsapp")
public interface WhatsAppConfig {

    /** Base URL of Meta's Graph API; tests point it at WireMock. */
    @WithDefault("https://graph.facebook.com")
    String graphUrl();

    @WithDefault("v23.0")
    String apiVersion();

    /**
     * The Meta app secret that signs webhook deliveries. Without it every webhook POST is refused
     * (there is deliberately no default outside dev and test).
     */
    Optional<String> appSecret();

    /** The token Meta echoes during webhook verification. Without it verification is refused. */
    Optional<String> verifyToken();

    /** TCP connect timeout towards the Graph API. */
    @WithDefault("5S")
    Duration connectTimeout();

    /**
     * Read timeout towards the Graph API: long enough for Meta's usual answers (well under a
     * second), short enough that a hanging call does not block a dispatch worker. A read timeout
     * leaves the outcome unknown (the request was written; Meta may have accepted it), so the message
     * is not sent again: it waits for a status webhook naming it.
     */
    @WithDefault("15S")
    Duration readTimeout();

    /**
     * Connections per Graph base URL, opened on demand; bounds concurrent sends, so it matches the
     * dispatch workers (1,000 msg/s at 300 ms needs 300).
     */
    @WithDefault("320")
    int connectionPoolSize();

    Inbox inbox();

    interface Inbox {
        /** How often the worker looks for stored, unprocessed webhooks ("off" disables it). */
        @WithDefault("5s")
        String every();

        @WithDefault("50")
        int batchSize();

        /** After this many failed attempts an inbox row is parked as FAILED (kept for inspection). */
        @WithDefault("10")
        int maxAttempts();

        /** How long processed rows are kept (for inspection) before the sweep deletes them; FAILED rows are kept. */
        @WithDefault("P30D")
        Duration retention();

        /** How long a worker owns a claimed row; a crashed worker's rows are taken over after it. */
        @WithDefault("PT5M")
        Duration claimDuration();
    }
}
