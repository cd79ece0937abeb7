package io.consentcast.web;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** The public home page, the language switch and the sign-up entry. */
@Path("/")
public class HomePage {

    @Inject
    SignupConfig signup;

    @Inject
    RoutingContext routing;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance home() {
        return Templates.home();
    }

    /**
     * "Start free": with Keycloak this asks for the registration page ({@code prompt=create}) through the
     * {@code signup} OIDC tenant; with the dev login it goes straight to the login.
     */
    @GET
    @Path("signup")
    public Response signup() {
        return Response.seeOther(URI.create(signup.registrationEnabled() ? "/signup/register" : "/app")).build();
    }

    /** After registration at Keycloak the user continues into the application. */
    @GET
    @Path("signup/register")
    public Response registered() {
        return Response.seeOther(URI.create("/app")).build();
    }

    /** Switches the page language and returns to where the user was. */
    @GET
    @Path("lang/{code}")
    public Response language(@PathParam("code") String code, @QueryParam("return") String returnTo) {
        String lang = Languages.supported(code) ? code : "en";
        String target = LocalPaths.local(returnTo).orElse("/");
        // Lax: the language must also hold when a reader follows a link from another site.
        NewCookie cookie = new NewCookie.Builder(PageContext.LANG_COOKIE).value(lang).path("/")
                .maxAge(365 * 24 * 3600).sameSite(NewCookie.SameSite.LAX).httpOnly(true)
                .secure(routing.request().isSSL()).build();
        return Response.seeOther(URI.create(target)).cookie(cookie).build();
    }
}
