package io.consentcast.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The token of this page's forms, in templates as {@code inject:csrf} ({@code <input type="hidden"
 * name="{inject:csrf.parameterName}" value="{inject:csrf.token}">}): a list's public pages get a cookie-less
 * public token, every other page the session token ({@link FormTokens}). When the browser has no valid
 * {@code csrf-token} cookie yet, one is made here and {@link SecurityHeaders} sets it on the HTML response.
 */
@Named("csrf")
@RequestScoped
public class FormToken {

    /** Where a cookie made during this request waits for the response ({@link SecurityHeaders}). */
    static final String NEW_COOKIE = FormToken.class.getName() + ".cookie";

    @Inject
    FormTokens tokens;

    @Inject
    RoutingContext routing;

    @Inject
    SecurityIdentity identity;

    private String token;

    public String getParameterName() {
        return FormTokens.NAME;
    }

    public String getToken() {
        if (token == null) {
            token = FormTokens.publicForm(routing.normalizedPath()).map(tokens::publicToken)
                    .orElseGet(() -> tokens.sessionToken(cookie(routing, tokens), user(identity)));
        }
        return token;
    }

    /** The browser's valid cookie, or a new one that the response will set. */
    static String cookie(RoutingContext routing, FormTokens tokens) {
        String made = routing.get(NEW_COOKIE);
        if (made != null) {
            return made;
        }
        Cookie sent = routing.request().getCookie(FormTokens.NAME);
        if (sent != null && FormTokens.wellFormedCookie(sent.getValue())) {
            return sent.getValue();
        }
        made = tokens.newCookie();
        routing.put(NEW_COOKIE, made);
        return made;
    }

    /** Who the session token is bound to: the logged-in user, or nobody. */
    static String user(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }
}
