package io.consentcast.consent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keyed hashes of phone numbers. Each workspace has its own key, derived from the configured
 * master key and the tenant id, so the database alone does not allow testing guessed numbers and
 * equal numbers in different workspaces give unrelated hashes.
 */
@ApplicationScoped
public class SubscriberKeys {

    @Inject
    LedgerConfig config;

    /** Hex HMAC-SHA256 of the E.164 number with the workspace's key. */
    public String phoneHmac(String tenantId, String e164) {
        byte[] workspaceKey = hmac(config.hmacKey().getBytes(StandardCharsets.UTF_8),
                "consentcast-subscriber-key:" + tenantId);
        return HexFormat.of().formatHex(hmac(workspaceKey, e164));
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
