package io.consentcast.whatsapp;

import java.time.Instant;

/**
 * Whether marketing may be sent on a number changed: paused because its quality turned bad (with the reason), or
 * resumed by an admin's acknowledgement. Fired inside the workspace's transaction; dispatch pauses or releases
 * that number's marketing issues.
 */
public record MarketingGuardChanged(String tenantId, String phoneNumberId, boolean allowed,
        MarketingGuard.PauseReason reason, Instant at) {
}
