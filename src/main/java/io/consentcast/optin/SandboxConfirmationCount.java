package io.consentcast.optin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.whatsapp.SandboxConfirmations;

/** Answers the channel page from the consent projection (readers confirmed only through the sandbox). */
@ApplicationScoped
public class SandboxConfirmationCount implements SandboxConfirmations {

    @Inject
    ConsentAudience audience;

    @Override
    public long readers() {
        return audience.sandboxOnlyReaders();
    }
}
