package io.consentcast.web;

import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.PublicTenantRoute;
import io.consentcast.tenancy.TeamService;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** Pages for signing up, choosing a workspace and joining one. The team pages are {@link TeamPages}. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class WorkspacePages {

    static final List<String> ZONES = new TreeSet<>(ZoneId.getAvailableZoneIds()).stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")).toList();

    @Inject
    TenancyService tenancy;

    @Inject
    TeamService team;

    @Inject
    Caller caller;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    PageContext page;

    @Inject
    RoutingContext routing;

    public record WorkspaceForm(String name, String slug, String locale, String timezone) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance newWorkspace(WorkspaceForm form, Map<String, String> errors, List<String> zones,
                String baseUrl);

        static native TemplateInstance join(String workspace, TeamService.InvitationView invitation, String token);
    }

    @Inject
    io.consentcast.shared.ConsentcastConfig config;

    /** After login: the last workspace, or "Create your workspace" for newcomers. */
    @GET
    @Path("app")
    public Response app() {
        List<Caller.WorkspaceSummary> mine = caller.workspaces();
        if (mine.isEmpty()) {
            return Response.seeOther(URI.create("/app/new")).build();
        }
        return Response.seeOther(URI.create("/t/" + mine.get(0).slug())).build();
    }

    @GET
    @Path("login")
    public Response login() {
        return app();
    }

    @GET
    @Path("app/new")
    public TemplateInstance newWorkspace() {
        String zone = "Europe/Berlin";
        return Templates.newWorkspace(new WorkspaceForm("", "", page.lang(), zone), Map.of(), ZONES, publicBase());
    }

    @POST
    @Path("app/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object createWorkspace(@FormParam("name") String name, @FormParam("slug") String slug,
            @FormParam("locale") String locale, @FormParam("timezone") String timezone) {
        WorkspaceForm form = new WorkspaceForm(name, slug, locale, timezone);
        try {
            TenancyService.WorkspaceInfo t = tenancy.create(new TenancyService.NewWorkspace(slug, name, locale, timezone), caller);
            caller.refreshWorkspaces();
            Flash.set(routing, "success", "flash.workspace-created");
            return Response.seeOther(URI.create("/t/" + t.slug())).build();
        } catch (ApiException e) {
            return Response.status(e.status())
                    .entity(Templates.newWorkspace(form, page.formErrors(e), ZONES, publicBase())).build();
        }
    }

    @GET
    @Path("join/{tenant}/{token}")
    @PublicTenantRoute
    public TemplateInstance joinPage(@PathParam("tenant") String tenant, @PathParam("token") String token) {
        TeamService.InvitationView inv = team.inspect(token, caller);
        String name = tenancy.workspace(currentTenant.id()).map(TenancyService.WorkspaceInfo::name).orElse(tenant);
        return Templates.join(name, inv, token);
    }

    @POST
    @Path("join/{tenant}/{token}")
    @PublicTenantRoute
    public Response join(@PathParam("tenant") String tenant, @PathParam("token") String token) {
        team.accept(token, caller);
        caller.refreshWorkspaces();
        Flash.set(routing, "success", "flash.joined");
        return Response.seeOther(URI.create("/t/" + tenant)).build();
    }


    private String publicBase() {
        return config.baseUrl().replaceAll("/+$", "") + "/p/";
    }
}
