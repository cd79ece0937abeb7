package io.consentcast.web;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The page forms' tokens ({@link FormTokens}) and where the public list pages may be embedded. */
@ConfigMapping(prefix = "consentcast.forms")
public interface FormsConfig {

    /** The HMAC key of every form token ({@code CONSENTCAST_CSRF_KEY}); at least 32 characters in production. */
    String signatureKey();

    /**
     * How long a public list page's form (landing and unsubscribe) may stay open before it is sent; a later
     * post is answered with the "form expired" page that offers to send the same entries again.
     */
    @WithDefault("P1D")
    Duration publicTokenValidity();

    /**
     * The sites that may show a list's public pages in an iframe (the embed snippet), as origins such as
     * {@code https://www.publisher.example}; {@code *} (the default) allows any site. Every other page
     * refuses to be framed whatever this says.
     */
    @WithDefault("*")
    List<String> embedSites();
}
