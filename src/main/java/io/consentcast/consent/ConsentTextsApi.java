package io.consentcast.consent;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** Versioned consent texts. {@code list} absent: the workspace default text. */
@Path("/api/tenants/{tenant}/consent-texts")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentTextsApi {

    @Inject
    ConsentService consent;

    @Inject
    Caller caller;

    @Inject
    ListNames listNames;

    public record PublishRequest(UUID listId, String language, String text) {
    }

    /** All versions, newest first. */
    @GET
    public List<ConsentTextView> versions(@PathParam("tenant") String tenant, @QueryParam("list") String list) {
        UUID listId = listId(list);
        listNames.require(listId, "list");
        return consent.consentTextVersions(listId);
    }

    @GET
    @Path("/current")
    public ConsentTextView current(@PathParam("tenant") String tenant, @QueryParam("list") String list) {
        UUID listId = listId(list);
        listNames.require(listId, "list");
        return consent.currentConsentText(listId).orElseThrow(() -> ApiException.notFound("consent.no-text"));
    }

    /** Publishes a new version (201), or answers the current one (200) when nothing changed. */
    @POST
    @MinRole(Role.ADMIN)
    public Response publish(@PathParam("tenant") String tenant, PublishRequest body) {
        if (body == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        listNames.require(body.listId(), "listId");
        UUID before = consent.currentConsentText(body.listId()).map(ConsentTextView::id).orElse(null);
        ConsentTextView t = consent.publishConsentText(body.listId(), body.language(), body.text(), caller.userId());
        return Response.status(t.id().equals(before) ? 200 : 201).entity(t).build();
    }

    static UUID listId(String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(list.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(java.util.Map.of("list", "consent.filter-list-invalid"));
        }
    }
}
