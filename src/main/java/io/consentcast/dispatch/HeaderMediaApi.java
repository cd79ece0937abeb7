package io.consentcast.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.whatsapp.MediaConfig;

/**
 * An issue's uploaded header file: {@code POST /api/tenants/{tenant}/issues/{id}/header-media} takes the file as the
 * body with its type as {@code Content-Type} (image/jpeg, image/png, video/mp4, application/pdf; a
 * {@code Content-Disposition} header's {@code filename} names it) and answers 201 with the stored file; {@code GET} shows it (with its last upload to Meta or the
 * failure), {@code DELETE} removes it. Refused files: 400 naming {@code file}, nothing stored.
 */
@Path("/api/tenants/{tenant}/issues/{id}/header-media")
public class HeaderMediaApi {

    @Inject
    HeaderMedia headerMedia;

    @Inject
    MediaConfig config;

    /** {@code filename="rathaus.jpg"} (or unquoted) in a {@code Content-Disposition} header. */
    private static final java.util.regex.Pattern FILENAME = java.util.regex.Pattern
            .compile("filename\\s*=\\s*\"?([^\";]{1,255})\"?");

    @POST
    @Consumes({ "image/jpeg", "image/png", "video/mp4", "application/pdf" })
    @MinRole(Role.EDITOR)
    public Response upload(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @jakarta.ws.rs.core.Context HttpHeaders headers, InputStream body) {
        java.util.UUID issue = IssueApi.id(id);
        byte[] bytes = readAtMost(body, config.maxBytes() + 1);
        String disposition = headers.getHeaderString("Content-Disposition");
        java.util.regex.Matcher named = disposition == null ? null : FILENAME.matcher(disposition);
        String filename = named != null && named.find() ? named.group(1) : null;
        String type = headers.getMediaType() == null ? null
                : headers.getMediaType().getType() + "/" + headers.getMediaType().getSubtype();
        HeaderMedia.HeaderFile file = headerMedia.attach(issue, new HeaderMedia.Upload(type, filename, bytes), "file");
        return Response.created(URI.create("/api/tenants/" + tenant + "/issues/" + id + "/header-media")).entity(file)
                .build();
    }

    @GET
    public HeaderMedia.HeaderFile get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return headerMedia.view(IssueApi.id(id));
    }

    @DELETE
    @MinRole(Role.EDITOR)
    public Response delete(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        headerMedia.remove(IssueApi.id(id));
        return Response.noContent().build();
    }

    /** The body, read up to {@code limit} bytes (one more than allowed is enough to refuse it). */
    static byte[] readAtMost(InputStream in, long limit) {
        if (in == null) {
            return new byte[0];
        }
        try {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
