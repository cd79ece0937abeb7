package io.consentcast.shared;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/** Identifier and token generation: time-ordered UUIDv7 ids and random URL-safe tokens. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then randomness; sorts by creation time. */
    public static UUID uuid7(Clock clock) {
        long millis = clock.millis();
        byte[] rnd = new byte[10];
        RANDOM.nextBytes(rnd);
        long msb = (millis << 16) | 0x7000L | ((rnd[0] & 0x0fL) << 8) | (rnd[1] & 0xffL);
        long lsb = 0x8000000000000000L | ((rnd[2] & 0x3fL) << 56);
        for (int i = 3; i < 10; i++) {
            lsb |= (rnd[i] & 0xffL) << (8 * (9 - i));
        }
        return new UUID(msb, lsb);
    }

    /** A random URL-safe token of the given number of random bytes. */
    public static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String sha256Hex(String value) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
