package io.consentcast.whatsapp;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;

/**
 * An uploaded header file, served to the workspace's members only ({@code /t/{tenant}/media/{id}}: the tenant
 * filter refuses others with 404, row-level security hides another workspace's file): the issue page and the
 * sandbox phone show it in the message bubble. Images and videos inline, documents as a download.
 */
@Path("/t/{tenant}/media/{id}")
public class MediaPages {

    @Inject
    MediaService media;

    @GET
    @Produces({ "image/jpeg", "image/png", "video/mp4", "application/pdf", "*/*" })
    public Response file(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        MediaService.Content c = media.content(uuid(id)).orElseThrow(() -> ApiException.notFound("media.not-found"));
        String disposition = c.format() == TemplateLayout.HeaderFormat.DOCUMENT ? "attachment" : "inline";
        String ascii = c.fileName().replaceAll("[^A-Za-z0-9._ -]", "_");
        return Response.ok(c.bytes(), c.contentType())
                .header("Content-Disposition", disposition + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(c.fileName(), StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Cache-Control", "private, no-store").build();
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound("media.not-found");
        }
    }
}
