package io.consentcast.whatsapp;

import java.time.Instant;

/**
 * A user stopped or resumed marketing messages from the business with WhatsApp's own control
 * ("Stop promotions"; Meta's {@code user_preferences} webhook). STOP means a SUPPRESSED event
 * for marketing; RESUME an UNSUPPRESSED one. Fired once per change, inside the workspace's transaction.
 * {@code origin} says whether Meta reported it or the sandbox played it.
 */
public record MarketingPreferenceChanged(String tenantId, String waId, Preference preference, Instant timestamp,
        Origin origin) {

    public enum Preference {
        STOP, RESUME
    }
}
