package io.consentcast.tenancy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import io.consentcast.web.Flash;
import io.consentcast.web.PageContext;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The team page: members, roles and invitations. A resource of its own under {@code /t/{tenant}/team}: the
 * workspace pages with the class path {@code /t/{tenant}} would otherwise take every {@code /t/...} request
 * first and answer 404 for the team's addresses (JAX-RS matches the class before the method).
 */
@Path("/t/{tenant}/team")
@Produces(MediaType.TEXT_HTML)
public class TeamPages {

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

    @GET
    public TemplateInstance teamPage(@PathParam("tenant") String tenant) {
        return teamView(null, Map.of(), "");
    }

    @POST
    @Path("invitations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response invite(@PathParam("tenant") String tenant, @FormParam("email") String email,
            @FormParam("role") String role) {
        try {
            TeamService.CreatedInvitation created = team.invite(email, role, caller.user(), currentTenant.role());
            return Response.ok(teamView(created, Map.of(), "")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(teamView(null, page.formErrors(e), email)).build();
        }
    }

    @POST
    @Path("invitations/{id}/revoke")
    @MinRole(Role.ADMIN)
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        team.revokeInvitation(id, caller.user());
        Flash.set(routing, "success", "flash.invitation-revoked");
        return Response.seeOther(URI.create("/t/" + tenant + "/team")).build();
    }

    @POST
    @Path("members/{id}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response changeRole(@PathParam("tenant") String tenant, @PathParam("id") UUID id,
            @FormParam("role") String role) {
        try {
            team.changeRole(id, role, caller.user(), currentTenant.role());
            Flash.set(routing, "success", "flash.member-updated");
            return Response.seeOther(URI.create("/t/" + tenant + "/team")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(teamView(null, page.formErrors(e), "")).build();
        }
    }

    @POST
    @Path("members/{id}/remove")
    @MinRole(Role.ADMIN)
    public Response removeMember(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        try {
            team.remove(id, caller.user(), currentTenant.role());
            caller.refreshWorkspaces();
            Flash.set(routing, "success", "flash.member-removed");
            return Response.seeOther(URI.create("/t/" + tenant + "/team")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(teamView(null, page.formErrors(e), "")).build();
        }
    }

    private TemplateInstance teamView(TeamService.CreatedInvitation created, Map<String, String> errors,
            String email) {
        boolean admin = currentTenant.role().atLeast(Role.ADMIN);
        return WorkspacePages.Templates.team(team.members(), admin ? team.openInvitations() : List.of(), created,
                errors, email == null ? "" : email);
    }
}
