package io.consentcast.web;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
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
 * browsers), except on a list's public pages, which the "embed" snippet puts into an iframe on the sites of
 * {@code consentcast.forms.embed-sites} (any site by default).</li>
 * <li>{@code Strict-Transport-Security} when the request came over HTTPS, directly or through a trusted
 * proxy's {@code X-Forwarded-Proto}; never over plain HTTP (a browser would then refuse the site).</li>
 * <li>The session's {@code csrf-token} cookie ({@link FormTokens}), when a page made one: set only by an HTML
 * page, {@code HttpOnly}, {@code SameSite=Lax} (a link from an e-mail or another site opens a page with the
 * session's cookie instead of replacing it, which would expire the forms of the other tabs; cross-site posts
 * still come without it), {@code Secure} over HTTPS.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors ";

    static final String HSTS = "max-age=31536000";

    /** Development tools that come with their own inline scripts (dev mode only; absent in production). */
    private static final Set<String> DEV_TOOLS = Set.of("/q/dev-ui", "/q/swagger-ui");

    /**
     * First in the router, where Quarkus puts the {@code quarkus.http.header} headers: before authentication,
     * so that its 401 and redirects carry the headers too.
     */
    void register(@Observes Router router, FormsConfig forms) {
        String embedders = forms.embedSites().contains("*") ? "*" : String.join(" ", forms.embedSites());
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(rc -> {
            rc.addHeadersEndHandler(v -> decorate(rc, embedders));
            rc.next();
        });
    }

    private static void decorate(RoutingContext rc, String embedders) {
        String path = rc.normalizedPath();
        boolean embeddable = FormTokens.publicForm(path).isPresent();
        boolean https = rc.request().isSSL();
        MultiMap headers = rc.response().headers();
        if (DEV_TOOLS.stream().noneMatch(path::startsWith)) {
            headers.set("Content-Security-Policy", POLICY + (embeddable ? embedders : "'none'"));
            if (!embeddable) {
                headers.set("X-Frame-Options", "DENY");
            }
        }
        if (https) {
            headers.set("Strict-Transport-Security", HSTS);
        }
        String type = headers.get("Content-Type");
        String made = rc.get(FormToken.NEW_COOKIE);
        if (made != null && type != null && type.startsWith("text/html")) {
            rc.response().addCookie(Cookie.cookie(FormTokens.NAME, made).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.LAX).setSecure(https));
        }
    }
}
