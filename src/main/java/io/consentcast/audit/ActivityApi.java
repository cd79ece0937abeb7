package io.consentcast.audit;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Paging;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** The admin activity log of a workspace, newest first; page with {@code before=<id of the last entry>}. */
@Path("/api/tenants/{tenant}/activity")
@MinRole(Role.ADMIN)
public class ActivityApi {

    @Inject
    ActivityLog log;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Caller caller;

    /** The whole log as CSV (oldest first); the download itself is logged. */
    @GET
    @Path("/export")
    public Response export(@PathParam("tenant") String tenant) {
        log.record(caller.userId(), "activity.exported", null);
        String tenantId = currentTenant.id();
        StreamingOutput body = out -> log.writeCsv(tenantId, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"activity-" + tenant + ".csv\"").build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ActivityLog.Entry> list(@PathParam("tenant") String tenant,
            @QueryParam("limit") String limitParam, @QueryParam("before") String before) {
        int limit = Paging.number(limitParam, "limit", 1, ActivityLog.MAX_PAGE, 100, "consent.activity-limit-invalid");
        UUID cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = UUID.fromString(before.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(Map.of("before", "consent.activity-cursor-invalid"));
            }
            if (!log.has(cursor)) {
                throw new ApiException(404, "Not Found", "consent.activity-cursor-unknown",
                        Map.of("before", "consent.activity-cursor-unknown"));
            }
        }
        return log.list(limit, cursor);
    }
}
