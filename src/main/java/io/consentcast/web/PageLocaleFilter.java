package io.consentcast.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.qute.TemplateInstance;

/**
 * Every page a resource returns speaks the request's language ({@link PageContext#locale()}: a list's
 * language on its landing page, else the user's choice, else the browser's). Runs before Quarkus REST
 * renders the template; an explicit locale wins over the variant Quarkus derives from Accept-Language.
 */
public class PageLocaleFilter {

    @Inject
    PageContext page;

    @ServerResponseFilter(priority = Priorities.USER + 1000)
    public void localize(ContainerResponseContext response) {
        if (response.getEntity() instanceof TemplateInstance instance && instance.getAttribute("locale") == null) {
            instance.setLocale(page.locale());
        }
    }
}
