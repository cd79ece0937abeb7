package io.consentcast.shared;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which database the application runs on. Since development mode runs on an embedded PostgreSQL too, the answer
 * is always PostgreSQL; only dispatch still asks (IssueService, DispatchWork), and this class goes when those
 * branches do.
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
