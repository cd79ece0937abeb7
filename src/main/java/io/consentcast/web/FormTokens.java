package io.consentcast.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The tokens that page forms carry in their {@code csrf-token} field; {@link PageFormGuard} checks them.
 * <ul>
 * <li><b>Session tokens</b> (every page of the application): the HMAC of the browser's {@code csrf-token}
 * cookie (a random value set once per browser session, never replaced while it is valid) and of the
 * logged-in user. The same for every page view of the session, so a second tab, the back button or a
 * download on the page never invalidate a form; a new login of the same user keeps the forms valid.</li>
 * <li><b>Public tokens</b> (a list's landing and unsubscribe pages, which another site may embed in an
 * iframe where no cookie of ours is sent): the HMAC of the list's path and an expiry, no cookie; the guard
 * also requires that the browser's {@code Origin} is this site.</li>
 * </ul>
 */
@ApplicationScoped
public class FormTokens {

    /** The form field and the cookie. */
    public static final String NAME = "csrf-token";

    /** A list's public pages: {@code /p/{tenant}/{list}} and its unsubscribe page. */
    static final Pattern PUBLIC_FORM = Pattern.compile("(/p/[^/]+/[^/]+)(/unsubscribe)?/?");

    private static final Pattern PUBLIC_TOKEN = Pattern.compile("p\\.(\\d{1,12})\\.([A-Za-z0-9_-]{43})");
    private static final int COOKIE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    FormsConfig config;

    @Inject
    Clock clock;

    /** A fresh random cookie value. */
    String newCookie() {
        byte[] raw = new byte[COOKIE_BYTES];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Whether a cookie value is one this class could have made (anything else is replaced). */
    static boolean wellFormedCookie(String value) {
        if (value == null || value.length() != 43) {
            return false;
        }
        try {
            return Base64.getUrlDecoder().decode(value).length == COOKIE_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The form token of a session: stable for the cookie and the user ({@code ""} when nobody is logged in). */
    String sessionToken(String cookie, String user) {
        return mac("session\n" + cookie + "\n" + user);
    }

    boolean validSession(String token, String cookie, String user) {
        return token != null && wellFormedCookie(cookie) && equal(sessionToken(cookie, user), token);
    }

    /** The list's public path a request path belongs to ({@code /p/t/l} for the list page and its unsubscribe page). */
    static Optional<String> publicForm(String path) {
        Matcher m = PUBLIC_FORM.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The cookie-less token of a list's public form, valid for {@link FormsConfig#publicTokenValidity()}. */
    String publicToken(String listPath) {
        long expiry = clock.instant().plus(config.publicTokenValidity()).getEpochSecond();
        return "p." + expiry + "." + mac("public\n" + listPath + "\n" + expiry);
    }

    boolean validPublic(String token, String listPath) {
        Matcher m = token == null ? null : PUBLIC_TOKEN.matcher(token);
        if (m == null || !m.matches()) {
            return false;
        }
        long expiry = Long.parseLong(m.group(1));
        return equal(mac("public\n" + listPath + "\n" + expiry), m.group(2))
                && clock.instant().isBefore(Instant.ofEpochSecond(expiry));
    }

    private String mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.signatureKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
