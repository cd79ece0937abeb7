package io.consentcast.tenancy;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;

/** Members and invitations of one workspace. */
@Path("/api/tenants/{tenant}")
public class TeamApi {

    @Inject
    TeamService team;

    @Inject
    Caller caller;

    @Inject
    CurrentTenant currentTenant;

    public record InviteRequest(String email, String role) {
    }

    public record RoleRequest(String role) {
    }

    public record AcceptRequest(String token) {
    }

    public record AcceptResponse(String tenant, Role role) {
    }

    @GET
    @Path("/members")
    public List<TeamService.MemberView> members(@PathParam("tenant") String tenant) {
        return team.members();
    }

    @PUT
    @Path("/members/{id}")
    @MinRole(Role.ADMIN)
    public TeamService.MemberView changeRole(@PathParam("tenant") String tenant, @PathParam("id") UUID id,
            RoleRequest body) {
        return team.changeRole(id, body == null ? null : body.role(), caller.user(), currentTenant.role());
    }

    @DELETE
    @Path("/members/{id}")
    @MinRole(Role.ADMIN)
    public Response remove(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        team.remove(id, caller.user(), currentTenant.role());
        return Response.noContent().build();
    }

    @GET
    @Path("/invitations")
    @MinRole(Role.ADMIN)
    public List<TeamService.InvitationView> invitations(@PathParam("tenant") String tenant) {
        return team.openInvitations();
    }

    @POST
    @Path("/invitations")
    @MinRole(Role.ADMIN)
    public Response invite(@PathParam("tenant") String tenant, InviteRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return Response.status(201)
                .entity(team.invite(body.email(), body.role(), caller.user(), currentTenant.role()))
                .build();
    }

    @DELETE
    @Path("/invitations/{id}")
    @MinRole(Role.ADMIN)
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        team.revokeInvitation(id, caller.user());
        return Response.noContent().build();
    }

    /** Accepts an invitation: any logged-in user holding the token, not yet a member. */
    @POST
    @Path("/invitations/accept")
    @PublicTenantRoute
    public AcceptResponse accept(@PathParam("tenant") String tenant, AcceptRequest body) {
        Role role = team.accept(body == null ? null : body.token(), caller.user(), caller.emailVerified());
        return new AcceptResponse(currentTenant.slug(), role);
    }
}
