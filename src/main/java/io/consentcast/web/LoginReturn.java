package io.consentcast.web;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.OidcRedirectFilter;
import io.quarkus.oidc.Redirect;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A form sent after the login session ended comes back to the page it was on. The OIDC layer answers such a post
 * with a redirect to the login before anything reads its body, and after the login it returns the browser to the
 * post's address with a GET: for most actions ({@code /issues/{id}/schedule}) no page at all (405), for others a
 * page without the form. So, when the login is started for a post that the browser says came from a page of this
 * site ({@code Referer}), this filter remembers the post's path and that page in a short-lived cookie; the first GET
 * of the post's path after the login is then sent on to the page, marked {@code #session-renewed}. There
 * {@code assets/app.js} fills in the entries it kept when the form was sent (never secrets) and says so; nothing is
 * sent again on the user's behalf. The cookie holds two local paths, nothing the user typed.
 */
@ApplicationScoped
@Unremovable
@Redirect(Redirect.Location.OIDC_AUTHORIZATION)
public class LoginReturn implements OidcRedirectFilter {

    static final String COOKIE = "cc_login_return";
    /** The fragment that tells the page's script that it is shown again after a login that interrupted a post. */
    public static final String MARKER = "session-renewed";
    /** As long as the login may take: the OIDC state cookie's age ({@code state-cookie-age}). */
    static final long MAX_AGE_SECONDS = 30 * 60;

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void filter(OidcRedirectContext context) {
        RoutingContext routing = context.routingContext();
        HttpServerRequest request = routing.request();
        if (SAFE_METHODS.contains(request.method().name()) || !PageFormGuard.isPage(request.path())) {
            return;
        }
        Optional<String> post = LocalPaths.local(request.path());
        Optional<String> page = PageFormGuard.fromReferer(request.getHeader("Referer"), routing);
        if (post.isEmpty() || page.isEmpty()) {
            return; // no page of this site to go back to: the login returns to the post's address as before
        }
        Cookie cookie = Cookie.cookie(COOKIE, URLEncoder.encode(post.get() + " " + page.get(), StandardCharsets.UTF_8));
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setMaxAge(MAX_AGE_SECONDS);
        // Lax: sent with the top-level GET navigations that bring the browser back from the identity provider.
        cookie.setSameSite(CookieSameSite.LAX);
        cookie.setSecure(request.isSSL());
        routing.response().addCookie(cookie);
    }

    /**
     * Before any resource is matched (the post's address may have no GET at all): the first GET of the remembered
     * post's path goes on to the page the form was on; the cookie is used once.
     */
    @ServerRequestFilter(preMatching = true)
    public Response resume(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        Cookie cookie = request.getCookie(COOKIE);
        if (cookie == null || !"GET".equals(request.method().name())) {
            return null;
        }
        String[] paths = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8).split(" ", -1);
        Optional<String> post = paths.length == 2 ? LocalPaths.local(paths[0]) : Optional.empty();
        Optional<String> page = paths.length == 2 ? LocalPaths.local(paths[1]) : Optional.empty();
        if (post.isPresent() && !post.get().equals(request.path())) {
            return null; // another page first (the login was abandoned): the cookie expires on its own
        }
        Cookie expired = Cookie.cookie(COOKIE, "");
        expired.setPath("/");
        expired.setMaxAge(0);
        expired.setSameSite(CookieSameSite.LAX);
        expired.setSecure(request.isSSL());
        routing.response().addCookie(expired);
        if (post.isEmpty() || page.isEmpty()) {
            return null;
        }
        return Response.seeOther(URI.create(page.get() + "#" + MARKER)).build();
    }
}
