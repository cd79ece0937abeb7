package io.consentcast.audit;

import java.util.List;
import java.util.Locale;
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
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/**
 * The admin activity log of a workspace, newest first, in English; filtered by {@code member} (a user id),
 * {@code kind} (a code such as {@code list.created}), {@code from} and {@code to} (days, inclusive, in the
 * workspace's time zone); page with {@code before=<id of the last entry>}.
 */
@Path("/api/tenants/{tenant}/activity")
@MinRole(Role.ADMIN)
public class ActivityApi {

    @Inject
    ActivityLog log;

    @Inject
    ActivityViews views;

    @Inject
    CurrentTenant currentTenant;

    /** The log as CSV (oldest first), with the same filters; the download itself is logged. */
    @GET
    @Path("/export")
    public Response export(@PathParam("tenant") String tenant, @QueryParam("member") String member,
            @QueryParam("kind") String kind, @QueryParam("from") String from, @QueryParam("to") String to) {
        return csv(tenant, filter(member, kind, from, to), Locale.ENGLISH);
    }

    /** The CSV download of the API and the page: records the download, then streams the file. */
    Response csv(String tenant, ActivityFilter filter, Locale locale) {
        log.record(ActivityKind.ACTIVITY_EXPORTED, ActivitySubject.of(ActivitySubject.Type.ACTIVITY),
                new ActivityDetails.ActivityExported(filter.member() == null ? null : log.actors().get(filter.member()),
                        filter.kind() == null ? null : filter.kind().code,
                        filter.from() == null ? null : filter.from().toString(),
                        filter.to() == null ? null : filter.to().toString()));
        String tenantId = currentTenant.id();
        StreamingOutput body = out -> views.writeCsv(tenantId, filter, locale, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"activity-" + tenant + ".csv\"").build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ActivityViews.Entry> list(@PathParam("tenant") String tenant,
            @QueryParam("limit") String limitParam, @QueryParam("before") String before,
            @QueryParam("member") String member, @QueryParam("kind") String kind, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        int limit = Paging.number(limitParam, "limit", 1, ActivityLog.MAX_PAGE, 100, "consent.activity-limit-invalid");
        ActivityFilter filter = filter(member, kind, from, to);
        return views.page(filter, limit, cursor(before, log), Locale.ENGLISH);
    }

    /** Parses and checks the filters: 400 for a malformed value or a member who never acted in this workspace. */
    ActivityFilter filter(String member, String kind, String from, String to) {
        ActivityFilter filter = ActivityFilter.parse(member, kind, from, to);
        log.checkMember(filter);
        return filter;
    }

    /** The paging cursor: an entry of this workspace's log (404 otherwise), or null. */
    static UUID cursor(String before, ActivityLog log) {
        if (before == null || before.isBlank()) {
            return null;
        }
        UUID cursor;
        try {
            cursor = UUID.fromString(before.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(Map.of("before", "consent.activity-cursor-invalid"));
        }
        if (!log.has(cursor)) {
            throw new ApiException(404, "Not Found", "consent.activity-cursor-unknown",
                    Map.of("before", "consent.activity-cursor-unknown"));
        }
        return cursor;
    }
}
