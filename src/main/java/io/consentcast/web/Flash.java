package io.consentcast.web;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * A one-shot message shown on the next page after a redirect ("Workspace created"). It travels in
 * a short-lived cookie that holds a message key (never user input or secrets) and is read once.
 */
public final class Flash {

    static final String COOKIE = "cc_flash";

    /** {@code key} is a text code ({@code lists.flash-created}) resolved by {@code Texts} in the page language. */
    public record Message(String kind, String key) {
    }

    private Flash() {
    }

    /** Queues a message; {@code key} is a text code such as {@code flash.workspace-created}. */
    public static void set(RoutingContext routing, String kind, String key) {
        Cookie c = Cookie.cookie(COOKIE, URLEncoder.encode(kind + ":" + key, StandardCharsets.UTF_8));
        c.setPath("/");
        c.setHttpOnly(true);
        c.setMaxAge(60);
        // Lax: the message must survive the redirect that follows a form; Secure whenever the page came over HTTPS.
        c.setSameSite(CookieSameSite.LAX);
        c.setSecure(routing.request().isSSL());
        routing.response().addCookie(c);
    }

    static Message consume(RoutingContext routing) {
        Cookie c = routing.request().getCookie(COOKIE);
        if (c == null) {
            return null;
        }
        Cookie expired = Cookie.cookie(COOKIE, "");
        expired.setPath("/");
        expired.setMaxAge(0);
        expired.setSameSite(CookieSameSite.LAX);
        expired.setSecure(routing.request().isSSL());
        routing.response().addCookie(expired);
        String value = URLDecoder.decode(c.getValue(), StandardCharsets.UTF_8);
        int colon = value.indexOf(':');
        if (colon < 0 || !value.substring(colon + 1).matches("[a-z0-9_.-]{1,80}")) {
            return null;
        }
        return new Message(value.substring(0, colon), value.substring(colon + 1));
    }
}
