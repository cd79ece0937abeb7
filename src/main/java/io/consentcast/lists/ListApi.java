package io.consentcast.lists;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** Lists of a workspace: {@code /api/tenants/{tenant}/lists}. */
@Path("/api/tenants/{tenant}/lists")
public class ListApi {

    @Inject
    ListService lists;

    @Inject
    Caller caller;

    @GET
    public List<ListService.ListView> all(@PathParam("tenant") String tenant) {
        return lists.all();
    }

    @POST
    @MinRole(Role.ADMIN)
    public Response create(@PathParam("tenant") String tenant, ListService.ListRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        ListService.ListView created = lists.create(body, caller.userId());
        return Response.created(URI.create("/api/tenants/" + tenant + "/lists/" + created.slug())).entity(created)
                .build();
    }

    @GET
    @Path("/{list}")
    public ListService.ListView get(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        return lists.bySlug(list).orElseThrow(() -> ApiException.notFound("lists.not-found"));
    }

    @PUT
    @Path("/{list}")
    @MinRole(Role.ADMIN)
    public ListService.ListView update(@PathParam("tenant") String tenant, @PathParam("list") String list,
            ListService.ListRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return lists.update(list, body, caller.userId());
    }
}
