package io.consentcast.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.web.PageRequestRejected.Reason;
import io.consentcast.web.PageRequestRejected.Resubmission;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Every state-changing page request (any method but GET, HEAD and OPTIONS, anywhere outside {@code /api}
 * and {@code /webhooks}) is a form from one of our pages: its body must be
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data} (415 otherwise) and carry a valid
 * token of {@link FormTokens} in its {@code csrf-token} field (403 otherwise):
 * <ul>
 * <li>a list's public form (landing, unsubscribe) its cookie-less public token, sent from a page of this site
 * (the browser's {@code Origin}, or its {@code Referer} when the origin is withheld, names this site; another
 * site's is refused with its own page), so that the form also works inside another site's iframe where no
 * cookie of ours is sent;</li>
 * <li>every other page the session token that matches the {@code csrf-token} cookie and the logged-in user.</li>
 * </ul>
 * A refused form is answered with an error page in the user's language ({@link ErrorMappers}); when the post
 * came from a page of this site, that page offers to send the same entries again with a fresh token, so an
 * expired form loses nothing. {@code /api/**} is bearer-only and not checked; {@code /webhooks/**} is signed.
 */
public class PageFormGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** Entries kept for a resubmission at most (a form of ours has far fewer). */
    private static final int MAX_FIELDS = 200;

    @Inject
    FormTokens tokens;

    @Inject
    SecurityIdentity identity;

    @Inject
    ConsentcastConfig config;

    /**
     * A form-reading filter (the body is read before the resource method), at a priority above the others'
     * so that it decides first.
     */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    @WithFormRead
    public void check(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (SAFE_METHODS.contains(request.getMethod()) || !isPage(request.getUriInfo().getPath())) {
            return;
        }
        if (!isForm(request)) {
            throw new PageRequestRejected(Reason.NOT_A_FORM, back(request, routing), null);
        }
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        Object field = context.getFormParameter(FormTokens.NAME, true, false);
        String token = field instanceof String t ? t : null;
        Optional<String> publicForm = FormTokens.publicForm(request.getUriInfo().getPath());
        boolean valid;
        if (publicForm.isPresent()) {
            if (!sentFromThisSite(routing)) {
                throw new PageRequestRejected(Reason.FOREIGN_SITE, back(request, routing), null);
            }
            valid = tokens.validPublic(token, publicForm.get());
        } else {
            Cookie cookie = routing.request().getCookie(FormTokens.NAME);
            valid = cookie != null && tokens.validSession(token, cookie.getValue(), FormToken.user(identity));
        }
        if (!valid) {
            throw new PageRequestRejected(Reason.CSRF_TOKEN, back(request, routing), resubmission(request, routing, context));
        }
    }

    /**
     * The browser says the form was on a page of this site: its {@code Origin} (a browser sends it with every
     * form post; {@code null} when a privacy setting withholds it), else its {@code Referer}. A client that
     * sends neither is no browser a foreign page could drive, and the token alone decides.
     */
    private boolean sentFromThisSite(RoutingContext routing) {
        String origin = routing.request().getHeader("Origin");
        if (origin != null && !origin.equals("null")) {
            return thisSite(origin, routing);
        }
        String referer = routing.request().getHeader("Referer");
        if (referer != null) {
            return thisSite(referer, routing);
        }
        return origin == null;
    }

    /** This site as the browser sees it (scheme, host and port of the request) or as the configured base URL. */
    private boolean thisSite(String url, RoutingContext routing) {
        if (url.length() > LocalPaths.MAX_LENGTH) {
            return false;
        }
        if (sameOrigin(url, routing).isPresent()) {
            return true;
        }
        try {
            URI given = new URI(url);
            URI base = new URI(config.baseUrl());
            return given.getHost() != null && base.getHost() != null && given.getHost().equalsIgnoreCase(base.getHost())
                    && base.getScheme().equalsIgnoreCase(given.getScheme()) && port(given) == port(base);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * The entries of a refused form, offered for sending again with a fresh token: only for a URL-encoded form
     * (a file cannot be kept) that the browser says came from a page of this site (a forged post from another
     * site is shown the explanation only, never a button that would send the forger's entries).
     */
    private Resubmission resubmission(ContainerRequestContext request, RoutingContext routing,
            ResteasyReactiveRequestContext context) {
        String fetchSite = routing.request().getHeader("Sec-Fetch-Site");
        String origin = routing.request().getHeader("Origin");
        boolean fromHere = (fetchSite == null || fetchSite.equals("same-origin"))
                && (origin != null && !origin.equals("null") ? thisSite(origin, routing)
                        : fromReferer(request.getHeaderString("Referer"), routing).isPresent());
        MediaType type = request.getMediaType();
        FormData form = context.getFormData();
        if (!fromHere || form == null || !same(type, MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return null;
        }
        List<Resubmission.Field> fields = new ArrayList<>();
        for (String name : form) {
            if (name.equals(FormTokens.NAME)) {
                continue;
            }
            for (FormValue value : form.get(name)) {
                if (!value.isFileItem() && fields.size() < MAX_FIELDS) {
                    fields.add(new Resubmission.Field(name, value.getValue()));
                }
            }
        }
        URI uri = request.getUriInfo().getRequestUri();
        return LocalPaths.local(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .map(action -> new Resubmission(action, fields)).orElse(null);
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

    /** The page a request came from, when the browser names one of this site ({@code Referer}). */
    static Optional<String> fromReferer(String referer, RoutingContext routing) {
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
