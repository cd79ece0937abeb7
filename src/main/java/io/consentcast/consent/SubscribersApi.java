package io.consentcast.consent;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.StateView;
import io.consentcast.consent.Views.SubscriberExport;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** One subscriber's consent history, data export (Art. 15/20) and erasure (Art. 17). {id} is the public id. */
@Path("/api/tenants/{tenant}/subscribers")
@Produces(MediaType.APPLICATION_JSON)
public class SubscribersApi {

    @Inject
    SubscriberService subscribers;

    @Inject
    ConsentService consent;

    @Inject
    Caller caller;

    @Inject
    ConsentQueries queries;

    @Inject
    ListNames listNames;

    public record SubscriberDetail(SubscriberView subscriber, List<StateView> states) {
    }

    public record WithdrawRequest(UUID listId, String reason) {
    }

    /**
     * The subscriber directory: {@code list} (a list id), {@code state} (PENDING, CONFIRMED, WITHDRAWN, EXPIRED,
     * IMPORTED, SUPPRESSED), {@code from}/{@code to} (dates the state began, ISO yyyy-mm-dd), {@code q} (digits of
     * the number or a subscriber id), {@code page} (from 1, 50 per page).
     */
    @GET
    public ConsentQueries.DirectoryPage directory(@PathParam("tenant") String tenant,
            @jakarta.ws.rs.QueryParam("list") String list, @jakarta.ws.rs.QueryParam("state") String state,
            @jakarta.ws.rs.QueryParam("from") String from, @jakarta.ws.rs.QueryParam("to") String to,
            @jakarta.ws.rs.QueryParam("q") String q, @jakarta.ws.rs.QueryParam("page") String page) {
        DirectoryFilter filter = DirectoryFilter.parse(list, state, from, to, page);
        listNames.require(filter.list(), "list");
        return queries.directory(filter.list(), filter.state(), filter.from(), filter.to(), q, filter.page());
    }

    @GET
    @Path("/{id}")
    public SubscriberDetail get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        SubscriberView s = subscribers.get(id);
        return new SubscriberDetail(s, consent.states(s.id()));
    }

    /** The subscriber's ledger events, oldest first. */
    @GET
    @Path("/{id}/events")
    public List<EventView> events(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return subscribers.events(id);
    }

    @GET
    @Path("/{id}/export")
    @MinRole(Role.ADMIN)
    public Response export(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        SubscriberExport data = subscribers.export(id, caller.userId());
        return Response.ok(data).header("Content-Disposition",
                "attachment; filename=\"subscriber-" + id + ".json\"").build();
    }

    /** Erases the subscriber's personal data; answers the erased subscriber. Repeating it changes nothing. */
    @POST
    @Path("/{id}/erase")
    @MinRole(Role.ADMIN)
    public SubscriberView erase(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return subscribers.erase(id, caller.userId());
    }

    /**
     * Records a withdrawal the publisher received outside Consentcast (letter, phone call): a
     * WITHDRAWN event from the ADMIN source with the acting member and the reason.
     */
    @POST
    @Path("/{id}/withdraw")
    @MinRole(Role.ADMIN)
    public EventView withdraw(@PathParam("tenant") String tenant, @PathParam("id") String id,
            WithdrawRequest body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw ApiException.invalid(java.util.Map.of("reason", "consent.reason-required"));
        }
        subscribers.get(id);
        listNames.require(body.listId(), "listId");
        return subscribers.withdrawByMember(id, body.listId(), body.reason().strip(), caller.userId());
    }
}
