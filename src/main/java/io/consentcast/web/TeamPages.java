package io.consentcast.web;

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
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.tenancy.TeamService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The team page of a workspace: members, roles, invitations. Its own class under {@code /t/{tenant}/team}:
 * Quarkus REST picks the resource class with the longest matching path, so page methods must not hide
 * under a shorter class path such as {@code /}.
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

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance team(List<TeamService.MemberView> members,
                List<TeamService.InvitationView> invitations, TeamService.CreatedInvitation created,
                Map<String, String> errors, String inviteEmail);
    }

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
            TeamService.CreatedInvitation created = team.invite(email, role, caller, currentTenant.role());
            return Response.ok(teamView(created, Map.of(), "")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(teamView(null, page.formErrors(e), email)).build();
        }
    }

    @POST
    @Path("invitations/{id}/revoke")
    @MinRole(Role.ADMIN)
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        team.revokeInvitation(id, caller);
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
            team.changeRole(id, role, caller, currentTenant.role());
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
            team.remove(id, caller, currentTenant.role());
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
        return Templates.team(team.members(), admin ? team.openInvitations() : List.of(), created, errors,
                email == null ? "" : email);
    }
}
