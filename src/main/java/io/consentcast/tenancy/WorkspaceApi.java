package io.consentcast.tenancy;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.TenantApi.TenantResponse;

/**
 * {@code GET /api/tenants/{tenant}}: the workspace as its members (every role) see it, with the caller's role.
 * It lives in a class whose path is exactly {@code /api/tenants/{tenant}}: Quarkus REST picks the resource class
 * with the longest matching class path and never falls back to another class, so the same method under
 * {@code @Path("/api")} (where it was) was hidden by the feature resources under {@code /api/tenants/{tenant}}
 * and answered 404 to everyone.
 */
@Path("/api/tenants/{tenant}")
public class WorkspaceApi {

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @GET
    public TenantResponse get(@PathParam("tenant") String slug) {
        Tenant t = tenancy.findById(currentTenant.id())
                .orElseThrow(() -> ApiException.notFound("workspace.not-found"));
        return new TenantResponse(t.slug, t.name, t.locale, t.timezone, currentTenant.role());
    }
}
