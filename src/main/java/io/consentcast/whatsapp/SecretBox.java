package io.consentcast.whatsapp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.shared.ApiException;

/**
 * AES-256-GCM for secrets at rest. A ciphertext is {@code v1:<key id>:<base64(12-byte nonce | ciphertext | tag)>};
 * the key id is the first 8 hex digits of SHA-256 over the raw key, so no separate id has to be
 * configured and a ciphertext names the key that opens it. The associated data binds a
 * ciphertext to its purpose and workspace: a token copied into another workspace's row does
 * not decrypt.
 */
@ApplicationScoped
public class SecretBox {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    @Inject
    public SecretBox(SecretsConfig config) {
        String current = null;
        if (config.key().isPresent() && !config.key().get().isBlank()) {
            current = add(config.key().get());
        }
        for (String old : config.previousKeys().orElse(List.of())) {
            if (!old.isBlank()) {
                add(old);
            }
        }
        this.currentKeyId = current;
    }

    private String add(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("consentcast.secrets keys must be base64 of 32 bytes");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("consentcast.secrets keys must be base64 of 32 bytes, got " + raw.length);
        }
        String id = keyId(raw);
        keys.putIfAbsent(id, new SecretKeySpec(raw, "AES"));
        return id;
    }

    static String keyId(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean canEncrypt() {
        return currentKeyId != null;
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    public String encrypt(String plaintext, String associatedData) {
        if (currentKeyId == null) {
            throw ApiException.badRequest("whatsapp.secrets-key-missing");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return VERSION + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /** Decrypts a value made by {@link #encrypt}; fails if its key is unknown or it was tampered with. */
    public String decrypt(String ciphertext, String associatedData) {
        String[] parts = ciphertext == null ? new String[0] : ciphertext.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalStateException("Not a sealed secret");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("Secret was sealed with unknown key " + parts[1]
                    + "; add it to consentcast.secrets.previous-keys");
        }
        try {
            byte[] all = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Secret could not be decrypted (wrong key or tampered)");
        }
    }

    /** The id of the key that sealed {@code ciphertext}, or null if it is not a sealed secret. */
    public static String keyIdOf(String ciphertext) {
        String[] parts = ciphertext == null ? new String[0] : ciphertext.split(":", 3);
        return parts.length == 3 ? parts[1] : null;
    }

    /** Whether {@code ciphertext} was sealed with an older key and should be sealed again. */
    public boolean needsReencryption(String ciphertext) {
        return currentKeyId != null && !currentKeyId.equals(keyIdOf(ciphertext));
    }
}
