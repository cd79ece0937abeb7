package io.consentcast.whatsapp;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/**
 * The workspace's sending numbers: {@code /api/tenants/{tenant}/channel/numbers} (any member reads them, an admin
 * adds, makes default and removes; see {@link ChannelNumbers}).
 */
@Path("/api/tenants/{tenant}/channel/numbers")
public class ChannelNumbersApi {

    @Inject
    ChannelNumbers numbers;

    @Inject
    Caller caller;

    @GET
    public List<ChannelNumbers.NumberView> all(@PathParam("tenant") String tenant) {
        return numbers.all();
    }

    /** 201 with the number; 400 naming the field, 409 when another workspace has it, 503 when Meta cannot be asked. */
    @POST
    @MinRole(Role.ADMIN)
    public Response add(@PathParam("tenant") String tenant, ChannelNumbers.NumberRequest body) {
        ChannelNumbers.NumberView added = numbers.add(body);
        return Response.created(URI.create("/api/tenants/" + tenant + "/channel/numbers/" + added.phoneNumberId()))
                .entity(added).build();
    }

    @POST
    @Path("/{number}/default")
    @MinRole(Role.ADMIN)
    public ChannelNumbers.NumberView makeDefault(@PathParam("tenant") String tenant,
            @PathParam("number") String number) {
        return numbers.makeDefault(number);
    }

    /**
     * Resumes marketing on this number after a quality pause (the other numbers keep their state): 200 with the
     * number; 404 for a number the workspace does not have; 409 while the cause (RED, FLAGGED, RESTRICTED) is there.
     */
    @POST
    @Path("/{number}/quality/acknowledge")
    @MinRole(Role.ADMIN)
    public ChannelNumbers.NumberView resumeMarketing(@PathParam("tenant") String tenant,
            @PathParam("number") String number) {
        return numbers.resumeMarketing(number, caller.userId().toString());
    }

    /** 204; 404 for a number the workspace does not have; 409 for the default or a number lists send from. */
    @DELETE
    @Path("/{number}")
    @MinRole(Role.ADMIN)
    public Response remove(@PathParam("tenant") String tenant, @PathParam("number") String number) {
        numbers.remove(number);
        return Response.noContent().build();
    }
}
