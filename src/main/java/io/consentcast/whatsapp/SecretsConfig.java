package io.consentcast.whatsapp;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Keys for secrets stored in the database (the channel access tokens), under {@code consentcast.secrets.}.
 * Each key is base64 of 32 random bytes ({@code openssl rand -base64 32}). Rotation: put the new
 * key into {@code key} and the old one into {@code previous-keys} (comma-separated); old
 * ciphertexts stay readable and are re-encrypted with the new key when used or by
 * {@link ChannelSettingsService#reencryptAllTokens()}.
 */
@ConfigMapping(prefix = "consentcast.secrets")
public interface SecretsConfig {

    /** The current key. Without it Cloud API tokens cannot be stored (sandbox channels still work). */
    Optional<String> key();

    Optional<List<String>> previousKeys();
}
