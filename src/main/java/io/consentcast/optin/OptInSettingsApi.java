package io.consentcast.optin;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** {@code /api/tenants/{tenant}/optin-settings}: stop words and the public pages' accent colour. */
@Path("/api/tenants/{tenant}/optin-settings")
public class OptInSettingsApi {

    @Inject
    OptInSettingsService settings;

    @Inject
    Caller caller;

    public record SettingsRequest(List<String> stopWords, String accentColor) {
    }

    @GET
    public OptInSettingsService.View get(@PathParam("tenant") String tenant) {
        return settings.view();
    }

    @PUT
    @MinRole(Role.ADMIN)
    public OptInSettingsService.View update(@PathParam("tenant") String tenant, SettingsRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return settings.update(body.stopWords(), body.accentColor(), caller.userId());
    }
}
