package io.consentcast.optin;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OptInSettingsRepository implements PanacheRepositoryBase<OptInSettings, UUID> {

    /** The current workspace's settings (one row at most per workspace). */
    public Optional<OptInSettings> current() {
        return findAll().firstResultOptional();
    }
}
