package io.consentcast.web;

import io.vertx.ext.web.RoutingContext;

/**
 * The one place that says who is calling: the address recorded as consent evidence and the key of every
 * per-address rate limit. It is the peer of the connection, or the address a trusted proxy put into
 * {@code X-Forwarded-For}: Quarkus applies forwarded headers only when the peer is one of
 * {@code CONSENTCAST_TRUSTED_PROXIES} ({@code quarkus.http.proxy.trusted-proxies}) and ignores them from
 * everybody else, so a client cannot choose the address.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The client's IP address, or null when the connection has none (a Unix socket). */
    public static String of(RoutingContext routing) {
        var address = routing.request().remoteAddress();
        return address == null ? null : address.host();
    }
}
