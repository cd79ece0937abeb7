package io.consentcast.shared;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which database the application runs on: PostgreSQL in production and tests, H2 in development mode.
 * The few statements that only PostgreSQL has (UPDATE ... RETURNING, set_config) ask here.
 */
@ApplicationScoped
public class DatabaseKind {

    private final boolean postgres;

    DatabaseKind(@ConfigProperty(name = "quarkus.datasource.db-kind") String kind) {
        this.postgres = kind.startsWith("postgres");
    }

    public boolean postgres() {
        return postgres;
    }
}
