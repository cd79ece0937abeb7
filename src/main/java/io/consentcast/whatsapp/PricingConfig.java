package io.consentcast.whatsapp;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Pricing settings under {@code consentcast.pricing.} (environment: {@code CONSENTCAST_PRICING_...}). */
@ConfigMapping(prefix = "consentcast.pricing")
public interface PricingConfig {

    /**
     * A rate card file of the installation (same format as the bundled {@code pricing/rate-card-2026-10-01.csv})
     * replacing the bundled example; read at start, a broken file stops the start with the reason.
     */
    Optional<String> rateCard();
}
