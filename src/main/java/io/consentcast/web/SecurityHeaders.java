package io.consentcast.web;

import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.csrf.reactive.runtime.RestCsrfConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The security headers that depend on the path or the scheme, on every response of the public port (pages,
 * API, error pages, static files, redirects); the constant ones ({@code X-Content-Type-Options},
 * {@code Referrer-Policy}) are {@code quarkus.http.header} settings.
 * <ul>
 * <li>{@code Content-Security-Policy}: scripts, styles, images and connections from this origin only (the
 * templates have no inline scripts, styles or event handlers; see {@code assets/app.js}), forms post here
 * only, and framing is refused ({@code frame-ancestors 'none'}, plus {@code X-Frame-Options: DENY} for old
 * browsers), except on a list's public pages, which the "embed" snippet puts into an iframe on any site.</li>
 * <li>{@code Strict-Transport-Security} when the request came over HTTPS, directly or through a trusted
 * proxy's {@code X-Forwarded-Proto}; never over plain HTTP (a browser would then refuse the site).</li>
 * <li>The CSRF cookie is set only by HTML pages (see {@link #decorate}); {@code SameSite=Strict} everywhere, except that a public list page served over HTTPS
 * sets it {@code SameSite=None; Secure}: inside another site's iframe a Strict or Lax cookie is not sent back,
 * and the embedded form would always be refused.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    /** A list's public pages: {@code /p/{tenant}/{list}} and its unsubscribe page. */
    static final Pattern EMBEDDABLE = Pattern.compile("/p/[^/]+/[^/]+(/unsubscribe)?/?");

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors ";

    static final String HSTS = "max-age=31536000";

    /** Development tools that come with their own inline scripts (dev mode only; absent in production). */
    private static final Set<String> DEV_TOOLS = Set.of("/q/dev-ui", "/q/swagger-ui");

    /**
     * First in the router, where Quarkus puts the {@code quarkus.http.header} headers: before authentication,
     * so that its 401 and redirects carry the headers too.
     */
    void register(@Observes Router router, RestCsrfConfig csrf) {
        String cookieName = csrf.cookieName();
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(rc -> {
            rc.addHeadersEndHandler(v -> decorate(rc, cookieName));
            rc.next();
        });
    }

    private static void decorate(RoutingContext rc, String csrfCookie) {
        String path = rc.normalizedPath();
        boolean embeddable = EMBEDDABLE.matcher(path).matches();
        boolean https = rc.request().isSSL();
        MultiMap headers = rc.response().headers();
        if (DEV_TOOLS.stream().noneMatch(path::startsWith)) {
            headers.set("Content-Security-Policy", POLICY + (embeddable ? "*" : "'none'"));
            if (!embeddable) {
                headers.set("X-Frame-Options", "DENY");
            }
        }
        if (https) {
            headers.set("Strict-Transport-Security", HSTS);
        }
        String type = headers.get("Content-Type");
        boolean page = type != null && type.startsWith("text/html");
        for (Cookie cookie : rc.response().removeCookies(csrfCookie, false)) {
            // Only a page, which carries the matching token in its forms, may set a new cookie: quarkus-rest-csrf
            // issues one with every GET, and a logo, stylesheet or JSON poll loaded by a page would otherwise
            // replace the cookie its form's token belongs to. The request's own copy is never sent back.
            if (page && cookie instanceof ServerCookie set && set.isChanged()) {
                cookie.setSameSite(embeddable && https ? CookieSameSite.NONE : CookieSameSite.STRICT);
                cookie.setSecure(https);
                rc.response().addCookie(cookie);
            }
        }
    }
}
