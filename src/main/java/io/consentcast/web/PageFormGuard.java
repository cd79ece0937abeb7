package io.consentcast.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.consentcast.web.PageRequestRejected.Reason;
import io.quarkus.csrf.reactive.runtime.CsrfTokenUtils;
import io.quarkus.csrf.reactive.runtime.RestCsrfConfig;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Every state-changing page request (any method but GET, HEAD and OPTIONS, anywhere outside {@code /api}
 * and {@code /webhooks}) is a form from one of our pages: its body must be
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data} (415 otherwise) and carry the
 * CSRF token of the page it came from, matching the signed {@code csrf-token} cookie (403 otherwise).
 * quarkus-rest-csrf issues the tokens; it skips the check for any other content type
 * ({@code require-form-url-encoded=false}, which {@code /api} needs), answers a garbled token with a 500,
 * and refusals with an empty 400. This filter runs before it and answers with an error page instead
 * ({@link ErrorMappers}). {@code /api/**} is bearer-only and not checked; {@code /webhooks/**} is signed.
 */
public class PageFormGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    RestCsrfConfig csrf;

    /**
     * Before quarkus-rest-csrf sees the request. Nothing of ours sends the token in a header: dropping it keeps
     * the extension from checking (and failing with a 500 on) a garbled header value, also under {@code /api}.
     * A page load with a garbled CSRF cookie is answered with a redirect to the same page that forgets the
     * cookie (the extension would answer it, and every later page, with an empty 400).
     */
    @ServerRequestFilter(preMatching = true)
    public Response dropTokenHeader(ContainerRequestContext request, RoutingContext routing) {
        request.getHeaders().remove(csrf.tokenHeaderName());
        Cookie cookie = routing.request().getCookie(csrf.cookieName());
        if (cookie != null && SAFE_METHODS.contains(request.getMethod()) && isPage(request.getUriInfo().getPath())
                && !wellFormedCookie(cookie.getValue())) {
            // quarkus-rest-csrf answers every request with a garbled cookie with an empty 400, for as long as the
            // browser keeps it: forget it and load the page again, which issues a fresh one.
            String again = LocalPaths.local(request.getUriInfo().getRequestUri().getRawPath()
                    + (request.getUriInfo().getRequestUri().getRawQuery() == null ? ""
                            : "?" + request.getUriInfo().getRequestUri().getRawQuery())).orElse("/");
            return Response.seeOther(URI.create(again))
                    .cookie(new NewCookie.Builder(csrf.cookieName()).value("").path(csrf.cookiePath()).maxAge(0).build())
                    .header("Cache-Control", "no-store").build();
        }
        return null;
    }

    /** What quarkus-rest-csrf accepts as its cookie: base64url of an HMAC-SHA256 (or of the raw token). */
    private boolean wellFormedCookie(String value) {
        try {
            int size = Base64.getUrlDecoder().decode(value).length;
            return size == (csrf.tokenSignatureKey().isPresent() ? 32 : csrf.tokenSize());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Runs before quarkus-rest-csrf's own filter (default priority {@link Priorities#USER}; among these
     * form-reading filters Quarkus REST runs the higher number first, which PageFormGuardTest proves: the
     * extension would answer a garbled token with a 500 and a missing one with an empty 400).
     */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    @WithFormRead
    public void check(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (SAFE_METHODS.contains(request.getMethod()) || !isPage(request.getUriInfo().getPath())) {
            return;
        }
        if (!isForm(request)) {
            throw new PageRequestRejected(Reason.NOT_A_FORM, back(request, routing));
        }
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        Object token = context.getFormParameter(csrf.formFieldName(), true, false);
        Cookie cookie = routing.request().getCookie(csrf.cookieName());
        if (!(token instanceof String t) || cookie == null || !matches(t, cookie.getValue())) {
            throw new PageRequestRejected(Reason.CSRF_TOKEN, back(request, routing));
        }
    }

    /** Pages are everything but the bearer API and Meta's signed webhooks. */
    static boolean isPage(String path) {
        return !(under(path, "/api") || under(path, "/webhooks"));
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static boolean isForm(ContainerRequestContext request) {
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException e) {
            return false; // an unparseable Content-Type is not a form either
        }
        return type != null && (same(type, MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || same(type, MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    private static boolean same(MediaType a, MediaType b) {
        return a.getType().equalsIgnoreCase(b.getType()) && a.getSubtype().equalsIgnoreCase(b.getSubtype());
    }

    /**
     * The form's token is the page's random value; the cookie holds its HMAC under
     * {@code CONSENTCAST_CSRF_KEY} (what quarkus-rest-csrf issued). Anything that does not decode is false.
     */
    private boolean matches(String token, String cookie) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != csrf.tokenSize()) {
            return false;
        }
        String expected = csrf.tokenSignatureKey().map(key -> CsrfTokenUtils.signCsrfToken(raw, key)).orElse(token);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Where the error page leads back to: the page the form was on when the browser says so (same site
     * only), else the page that shows the form (a public list page) or the workspace's dashboard.
     */
    private static String back(ContainerRequestContext request, RoutingContext routing) {
        return fromReferer(request.getHeaderString("Referer"), routing).orElseGet(() -> {
            String[] parts = request.getUriInfo().getPath().split("/");
            if (parts.length >= 4 && parts[1].equals("p")) {
                boolean unsubscribe = parts.length == 5 && parts[4].equals("unsubscribe");
                return LocalPaths.local("/p/" + parts[2] + "/" + parts[3] + (unsubscribe ? "/unsubscribe" : "")).orElse("/");
            }
            if (parts.length >= 3 && parts[1].equals("t")) {
                return LocalPaths.local("/t/" + parts[2]).orElse("/");
            }
            if (parts.length >= 2 && parts[1].equals("app")) {
                return "/app";
            }
            return "/";
        });
    }

    private static Optional<String> fromReferer(String referer, RoutingContext routing) {
        if (referer == null || referer.length() > LocalPaths.MAX_LENGTH) {
            return Optional.empty();
        }
        return sameOrigin(referer, routing)
                .flatMap(uri -> LocalPaths.local(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
    }

    /** The URL when it is on this site (scheme, host and port as the browser sees them), else empty. */
    private static Optional<URI> sameOrigin(String url, RoutingContext routing) {
        try {
            URI uri = new URI(url);
            var here = routing.request().authority();
            String scheme = routing.request().scheme();
            if (here == null || uri.getHost() == null || !scheme.equalsIgnoreCase(uri.getScheme())
                    || !uri.getHost().equalsIgnoreCase(here.host())
                    || port(uri) != (here.port() > 0 ? here.port() : defaultPort(scheme))) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : defaultPort(uri.getScheme());
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
