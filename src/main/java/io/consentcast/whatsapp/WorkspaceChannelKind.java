package io.consentcast.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.web.ChannelKind;

/** Tells the page shell whether the current workspace uses the sandbox channel (so the sandbox phone exists). */
@ApplicationScoped
public class WorkspaceChannelKind implements ChannelKind {

    @Inject
    ChannelSettingsService settings;

    @Override
    public boolean sandbox() {
        return settings.sandbox();
    }
}
