package io.consentcast.dispatch;

import java.net.URI;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.consentcast.optin.RateLimiter;
import io.consentcast.shared.ApiException;
import io.consentcast.web.ClientAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * The public click-counting redirect of issues' URL buttons: {@code GET /r/{token}} counts one click for the
 * issue's button and answers 302 to the article URL stored with the token ({@link IssueLinks}). No login, no
 * cookie, nothing about the reader is stored (the token is the same for every recipient of the issue). The
 * target is never read from the request, so this is no open redirect; an unknown or malformed token is a
 * neutral 404, and a client address asking for too many unknown tokens gets 429 without a database lookup.
 */
@Path("/r")
public class LinkRedirect {

    @Inject
    IssueLinks links;

    @Inject
    RateLimiter limiter;

    @Inject
    LinkConfig config;

    @Inject
    RoutingContext routing;

    @GET
    @Path("/{token}")
    public Response follow(@PathParam("token") String token) {
        String key = "link-miss:" + ClientAddress.of(routing);
        if (limiter.exhausted(key, config.missLimit(), config.missWindow())) {
            throw new ApiException(429, "Too Many Requests", "dispatch.link-too-many", java.util.Map.of());
        }
        Optional<String> target = links.follow(token);
        if (target.isEmpty()) {
            limiter.tryAcquire(key, config.missLimit(), config.missWindow());
            throw ApiException.notFound("dispatch.link-not-found");
        }
        return Response.status(Response.Status.FOUND).location(URI.create(target.get()))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
