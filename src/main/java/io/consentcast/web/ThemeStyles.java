package io.consentcast.web;

import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * A workspace's accent colour for its public pages as a stylesheet ({@code /theme/accent-0b7a5a.css}), so
 * the pages need no inline style and the Content-Security-Policy allows styles from this origin only. The
 * colour is the address: no database read, cached by browsers for a year.
 */
@Path("/theme")
public class ThemeStyles {

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{6}");

    @GET
    @Path("accent-{hex}.css")
    public Response accent(@PathParam("hex") String hex) {
        if (!HEX.matcher(hex).matches()) {
            return Response.status(404).type("text/css").entity("").build();
        }
        return Response.ok(":root { --accent: #" + hex.toLowerCase(java.util.Locale.ROOT) + "; }\n", "text/css; charset=utf-8")
                .header("Cache-Control", "public, max-age=31536000, immutable").build();
    }
}
