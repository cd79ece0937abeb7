package io.consentcast.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateInstance;

/** Every template rendered during a request speaks the request's language. */
@Singleton
public class LocaleInitializer implements TemplateInstance.Initializer {

    @Inject
    PageContext page;

    @Override
    public void accept(TemplateInstance instance) {
        if (Arc.container().requestContext().isActive()) {
            instance.setLocale(page.locale());
        }
    }
}
