package io.consentcast.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The user's own language choice (the {@code cc_lang} cookie set by the language switch) beats the
 * browser's: it replaces the Accept-Language header before anything else reads it, so templates,
 * message bundles and content negotiation all see one answer.
 */
public class LanguagePreferenceFilter {

    @ServerRequestFilter(preMatching = true)
    public void applyChosenLanguage(ContainerRequestContext request) {
        var cookie = request.getCookies().get(PageContext.LANG_COOKIE);
        if (cookie != null && Languages.supported(cookie.getValue())) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT_LANGUAGE, cookie.getValue());
        }
    }
}
