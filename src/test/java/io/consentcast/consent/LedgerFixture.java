package io.consentcast.consent;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;

/** Runs ledger service calls inside a workspace created through the API. */
@ApplicationScoped
public class LedgerFixture {

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    public String tenantId(String slug) {
        return tenancy.findBySlug(slug).orElseThrow().id;
    }

    public <T> T in(String slug, Supplier<T> work) {
        return tenantScope.call(tenantId(slug), work);
    }

    /** For other threads: {@code tenantId} must be looked up beforehand (no request context there). */
    public <T> T inTenant(String tenantId, Supplier<T> work) {
        return tenantScope.call(tenantId, work);
    }

    public void run(String slug, Runnable work) {
        tenantScope.run(tenantId(slug), work);
    }
}
