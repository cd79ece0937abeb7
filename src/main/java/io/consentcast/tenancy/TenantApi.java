package io.consentcast.tenancy;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;

/** Workspaces of the caller: {@code /api/me}, {@code /api/tenants}; one workspace is {@link WorkspaceApi}. */
@Path("/api")
public class TenantApi {

    @Inject
    TenancyService tenancy;

    @Inject
    Caller caller;

    public record MeResponse(String subject, String email, String name, List<WorkspaceItem> tenants) {
    }

    public record WorkspaceItem(String slug, String name, Role role) {
    }

    public record CreateTenantRequest(String slug, String name, String locale, String timezone) {
    }

    public record TenantResponse(String slug, String name, String locale, String timezone, Role role) {
    }

    @GET
    @Path("/me")
    public MeResponse me() {
        AppUser user = caller.user();
        return new MeResponse(user.subject, user.email, user.name, items());
    }

    @GET
    @Path("/tenants")
    public List<WorkspaceItem> list() {
        return items();
    }

    @POST
    @Path("/tenants")
    public Response create(CreateTenantRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        Tenant t = tenancy.create(new TenancyService.NewWorkspace(body.slug(), body.name(), body.locale(),
                body.timezone()), caller.user());
        return Response.created(URI.create("/api/tenants/" + t.slug))
                .entity(new TenantResponse(t.slug, t.name, t.locale, t.timezone, Role.OWNER))
                .build();
    }

    private List<WorkspaceItem> items() {
        return caller.workspaces().stream().map(w -> new WorkspaceItem(w.slug(), w.name(), w.role())).toList();
    }
}
