package io.consentcast.whatsapp;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Graph API calls Consentcast makes. Built programmatically by {@link GraphClient} (the base
 * URL is configuration); answers are read as raw responses so that Meta's error bodies can be classified.
 */
@Produces(MediaType.APPLICATION_JSON)
public interface GraphApi {

    @POST
    @Path("/{version}/{phoneNumberId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    Response sendMessage(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam("Authorization") String authorization, String body);

    @POST
    @Path("/{version}/{phoneNumberId}/media")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    Response uploadMedia(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam("Authorization") String authorization,
            org.jboss.resteasy.reactive.client.api.ClientMultipartForm form);

    @GET
    @Path("/{version}/{wabaId}/message_templates")
    Response listTemplates(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization, @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit, @QueryParam("after") String after);

    @GET
    @Path("/{version}/{wabaId}/phone_numbers")
    Response phoneNumbers(@PathParam("version") String version, @PathParam("wabaId") String wabaId,
            @HeaderParam("Authorization") String authorization, @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit, @QueryParam("after") String after);

    @GET
    @Path("/{version}/{phoneNumberId}")
    Response phoneNumber(@PathParam("version") String version, @PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam("Authorization") String authorization, @QueryParam("fields") String fields);
}
