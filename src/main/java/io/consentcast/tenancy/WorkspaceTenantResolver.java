package io.consentcast.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;

/**
 * Tells Hibernate which workspace a new session belongs to. Sessions opened for platform work
 * (no workspace chosen) get {@link #NO_TENANT}, which matches no row and cannot be written:
 * inserting a tenant-owned entity then fails at the foreign key and at row-level security.
 * Outside any request context Quarkus passes no tenant at all and Hibernate refuses to open a
 * session, so background work must go through {@link TenantScope}.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class WorkspaceTenantResolver implements TenantResolver {

    public static final String NO_TENANT = "-";

    @Inject
    CurrentTenant currentTenant;

    @Override
    public String getDefaultTenantId() {
        return NO_TENANT;
    }

    @Override
    public String resolveTenantId() {
        String id = currentTenant.idOrNull();
        return id == null ? NO_TENANT : id;
    }
}
