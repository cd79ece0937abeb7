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
     * How long an idle pooled connection to the Graph API is kept (whole seconds, at least 1). Below the server's own
     * idle timeout (WireMock's Jetty closes after 30 s; Meta publishes none, so it is kept well below the common 60
     * s), so the client retires a connection before the server closes it and never writes a request to a connection
     * being closed (such a request's outcome would be unknown).
     */
    @WithDefault("20S")
    Duration keepAliveTimeout();

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

        /** Rows a worker claims at once (each the oldest pending row of its sender). */
        @WithDefault("16")
        int batchSize();

        /**
         * Workers per instance processing the inbox in parallel (different senders; one sender's rows are never
         * processed by two at once). Each holds at most one database connection at a time.
         */
        @WithDefault("8")
        int workers();

        /** After this many failed attempts an inbox row is parked as FAILED (kept for inspection). */
        @WithDefault("10")
        int maxAttempts();

        /** How long processed rows are kept (for inspection) before the sweep deletes them; FAILED rows are kept. */
        @WithDefault("P30D")
        Duration retention();

        /**
         * How long a worker owns a claimed row; a crashed worker's rows are taken over after it (and until then its
         * sender's later rows wait). Longer than the transaction timeout (60 s), so a slow row is never processed twice.
         */
        @WithDefault("PT2M")
        Duration claimDuration();
    }

    Outbox outbox();

    /** The outbox of replies to inbound messages ({@link ReplyOutbox}). */
    interface Outbox {
        /** How often the sweep looks for due replies and expired claims ("off" disables it; commits wake the sender anyway). */
        @WithDefault("5s")
        String every();

        /** Replies claimed at once by one drain, then sent in parallel. */
        @WithDefault("64")
        int batchSize();

        /** Replies on the wire at once per instance (blocking Graph calls, outside any transaction). */
        @WithDefault("128")
        int senders();

        /** First retry delay after a failed reply; doubles per attempt up to {@link #backoffMax()}. */
        @WithDefault("PT2S")
        Duration backoffBase();

        @WithDefault("PT5M")
        Duration backoffMax();

        /**
         * How long a drain owns the replies it claimed. A reply still claimed after it (the instance died while it
         * was on the wire) is not sent again: its outcome is unknown. Must exceed the Graph read timeout.
         */
        @WithDefault("PT2M")
        Duration claimDuration();

        /** How long finished replies are kept for inspection. */
        @WithDefault("P7D")
        Duration retention();
    }

    Limits limits();

    /** Messaging limits and quality ({@link MessagingLimits}, {@link LimitRefresh}). */
    interface Limits {
        /** How often every connected portfolio's limit and every number's quality are read again from Meta. */
        @WithDefault("6h")
        String refreshEvery();

        /** The messaging limit the sandbox plays (a new portfolio's 250 by default). */
        @WithDefault("TIER_250")
        MessagingLimitTier sandboxTier();
    }
}
