package io.consentcast.optin;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.Flash;
import io.consentcast.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** The workspace's opt-in settings page: stop words, accent colour, logo. */
@Path("/t/{tenant}/settings")
public class SettingsPages {

    @Inject
    OptInSettingsService settings;

    @Inject
    Caller caller;

    @Inject
    PageContext page;

    @Inject
    RoutingContext routing;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(OptInSettingsService.View view, String stopWords,
                Map<String, String> errors);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @MinRole(Role.ADMIN)
    public TemplateInstance form(@PathParam("tenant") String tenant) {
        OptInSettingsService.View view = settings.view();
        return Templates.settings(view, String.join(", ", view.stopWords()), Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @MinRole(Role.ADMIN)
    public Response save(@PathParam("tenant") String tenant, @FormParam("stopWords") String stopWords,
            @FormParam("accentColor") String accentColor) {
        try {
            settings.update(stopWords == null ? null : Arrays.asList(stopWords.split("[,\\s]+")), accentColor,
                    caller.userId());
        } catch (ApiException e) {
            return Response.status(e.status())
                    .entity(Templates.settings(settings.view(), stopWords, page.formErrors(e))).build();
        }
        Flash.set(routing, "success", "optin.flash-settings-saved");
        return Response.seeOther(URI.create("/t/" + tenant + "/settings")).build();
    }

    @POST
    @Path("logo")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    @MinRole(Role.ADMIN)
    public Response uploadLogo(@PathParam("tenant") String tenant, @RestForm("logo") FileUpload logo) {
        try {
            byte[] bytes = logo == null ? null : Files.readAllBytes(logo.uploadedFile());
            settings.updateLogo(bytes, logo == null ? null : logo.contentType(), caller.userId());
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the uploaded logo", e);
        } catch (ApiException e) {
            OptInSettingsService.View view = settings.view();
            return Response.status(e.status()).entity(Templates.settings(view, String.join(", ", view.stopWords()),
                    page.formErrors(e))).build();
        }
        Flash.set(routing, "success", "optin.flash-settings-saved");
        return Response.seeOther(URI.create("/t/" + tenant + "/settings")).build();
    }
}
