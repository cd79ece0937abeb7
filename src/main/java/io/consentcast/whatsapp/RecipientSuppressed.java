package io.consentcast.whatsapp;

import java.time.Instant;

/**
 * Meta refused a message because the user stopped marketing messages from this business (error 131050).
 * Fired by {@link ChannelService#send} in the sender's workspace; the consent ledger records SUPPRESSED so
 * that no further marketing is attempted.
 */
public record RecipientSuppressed(String tenantId, String waId, Integer code, String reason, Instant at) {
}
