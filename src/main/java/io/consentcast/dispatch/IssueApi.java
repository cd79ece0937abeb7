package io.consentcast.dispatch;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import io.consentcast.lists.ListService;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Paging;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/**
 * Newsletter issues: {@code /api/tenants/{tenant}/issues}. EDITOR composes (drafts); ADMIN and OWNER
 * send, schedule, pause, resume and cancel (docs/ROLES.md).
 */
@Path("/api/tenants/{tenant}")
public class IssueApi {

    @Inject
    IssueService issues;

    @Inject
    DispatchSettingsService settings;

    @Inject
    ListService lists;

    @Inject
    Caller caller;

    @Inject
    CurrentTenant currentTenant;

    public record ScheduleRequest(String scheduledAt) {
    }

    @GET
    @Path("/issues")
    public List<IssueService.IssueView> all(@PathParam("tenant") String tenant, @QueryParam("list") String list) {
        if (list != null && !list.isBlank()) {
            ListService.ListView l = lists.bySlug(list).orElseThrow(() -> ApiException.notFound("lists.not-found"));
            return issues.ofList(l.id());
        }
        return issues.all();
    }

    @POST
    @Path("/issues")
    @MinRole(Role.EDITOR)
    public Response create(@PathParam("tenant") String tenant, IssueService.IssueRequest body) {
        if (body != null && body.scheduledAt() != null && !body.scheduledAt().isBlank()) {
            requireSender();
        }
        IssueService.Created created = issues.create(body, caller.userId());
        return Response.created(URI.create("/api/tenants/" + tenant + "/issues/" + created.id())).entity(created)
                .build();
    }

    @GET
    @Path("/issues/{id}")
    public IssueService.IssueView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return issues.view(id(id));
    }

    @PUT
    @Path("/issues/{id}")
    @MinRole(Role.EDITOR)
    public IssueService.Created update(@PathParam("tenant") String tenant, @PathParam("id") String id,
            IssueService.IssueRequest body) {
        if (body != null && body.scheduledAt() != null && !body.scheduledAt().isBlank()) {
            requireSender();
        }
        return issues.update(id(id), body);
    }

    @POST
    @Path("/issues/{id}/duplicate")
    @MinRole(Role.EDITOR)
    public Response duplicate(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        IssueService.Created created = issues.duplicate(id(id), caller.userId());
        return Response.created(URI.create("/api/tenants/" + tenant + "/issues/" + created.id())).entity(created)
                .build();
    }

    @POST
    @Path("/issues/{id}/send")
    @MinRole(Role.ADMIN)
    public IssueService.Created send(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return issues.sendNow(id(id));
    }

    @POST
    @Path("/issues/{id}/schedule")
    @MinRole(Role.ADMIN)
    public IssueService.Created schedule(@PathParam("tenant") String tenant, @PathParam("id") String id,
            ScheduleRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return issues.schedule(id(id), body.scheduledAt());
    }

    @POST
    @Path("/issues/{id}/pause")
    @MinRole(Role.ADMIN)
    public IssueService.Created pause(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return issues.pause(id(id));
    }

    @POST
    @Path("/issues/{id}/resume")
    @MinRole(Role.ADMIN)
    public IssueService.Created resume(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return issues.resume(id(id));
    }

    @POST
    @Path("/issues/{id}/cancel")
    @MinRole(Role.ADMIN)
    public IssueService.Created cancel(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return issues.cancel(id(id));
    }

    @GET
    @Path("/issues/{id}/deliveries")
    public IssueService.DeliveryPage deliveries(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @QueryParam("state") String state, @QueryParam("page") String page) {
        return issues.deliveries(id(id), state, Paging.page(page, "page"));
    }

    @GET
    @Path("/dispatch-settings")
    public DispatchSettingsService.SettingsView getSettings(@PathParam("tenant") String tenant) {
        return settings.view();
    }

    @PUT
    @Path("/dispatch-settings")
    @MinRole(Role.ADMIN)
    public DispatchSettingsService.SettingsView putSettings(@PathParam("tenant") String tenant,
            DispatchSettingsService.SettingsRequest body) {
        return settings.save(body);
    }

    private void requireSender() {
        Role role = currentTenant.role();
        if (role == null || !role.atLeast(Role.ADMIN)) {
            throw ApiException.forbidden("dispatch.send-needs-admin");
        }
    }

    static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound("dispatch.issue-not-found");
        }
    }

}
