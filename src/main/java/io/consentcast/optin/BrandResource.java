package io.consentcast.optin;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.consentcast.tenancy.PublicTenantRoute;

/**
 * The workspace's logo for its public pages, served by us so those pages make no external requests.
 * It lives outside {@code /p/{tenant}/{list}}, whose second segment is always a list.
 */
@Path("/brand/{tenant}")
@PublicTenantRoute
public class BrandResource {

    @Inject
    OptInSettingsService settings;

    @GET
    @Path("logo")
    public Response logo(@PathParam("tenant") String tenant) {
        return settings.logo()
                .map(l -> Response.ok(l.bytes()).type(l.type()).header("Cache-Control", "public, max-age=300")
                        .header("X-Content-Type-Options", "nosniff"))
                .orElseGet(() -> Response.status(404))
                .build();
    }
}
