package io.consentcast.consent;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** What the workspace records as consent evidence and how long it keeps it. */
@Path("/api/tenants/{tenant}/ledger-settings")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerSettingsApi {

    @Inject
    LedgerSettingsService settings;

    @Inject
    Caller caller;

    public record SettingsRequest(Boolean recordClientData, Boolean truncateIp, Integer retentionMonths) {
    }

    @GET
    public LedgerSettingsService.Settings get(@PathParam("tenant") String tenant) {
        return settings.current();
    }

    @PUT
    @MinRole(Role.ADMIN)
    public LedgerSettingsService.Settings update(@PathParam("tenant") String tenant, SettingsRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return settings.update(body.recordClientData(), body.truncateIp(), body.retentionMonths(), caller.userId());
    }
}
