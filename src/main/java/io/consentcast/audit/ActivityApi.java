package io.consentcast.audit;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** The admin activity log of a workspace, newest first; page with {@code before=<id of the last entry>}. */
@Path("/api/tenants/{tenant}/activity")
@MinRole(Role.ADMIN)
public class ActivityApi {

    @Inject
    ActivityLog log;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ActivityLog.Entry> list(@PathParam("tenant") String tenant,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("before") String before) {
        if (limit < 1 || limit > ActivityLog.MAX_PAGE) {
            throw ApiException.invalid(java.util.Map.of("limit", "consent.activity-limit-invalid"));
        }
        UUID cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = UUID.fromString(before.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(java.util.Map.of("before", "consent.activity-cursor-invalid"));
            }
        }
        return log.list(limit, cursor);
    }
}
