package io.consentcast.whatsapp;

import java.util.LinkedHashMap;
import java.util.List;
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

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The channel's sending numbers page (admins): add (checked with Meta), make default, remove. */
@Path("/t/{tenant}/channel/numbers")
@Produces(MediaType.TEXT_HTML)
public class ChannelNumberPages {

    @Inject
    ChannelNumbers numbers;

    @Inject
    ChannelSettingsService settings;

    @Inject
    PageContext page;

    @Inject
    Caller caller;

    /** What an action did, shown above the numbers. */
    public enum Done {
        ADDED, DEFAULT_SET, REMOVED, MARKETING_RESUMED
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance numbers(boolean cloudApi, List<ChannelNumbers.NumberView> numbers, String form,
                Map<String, String> errors, Done done);
    }

    @GET
    @MinRole(Role.ADMIN)
    public TemplateInstance list(@PathParam("tenant") String tenant) {
        return page(null, Map.of(), null);
    }

    @POST
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@PathParam("tenant") String tenant, @FormParam("phoneNumberId") String phoneNumberId) {
        return act(phoneNumberId, () -> numbers.add(new ChannelNumbers.NumberRequest(phoneNumberId)),
                Done.ADDED);
    }

    @POST
    @Path("/{number}/default")
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response makeDefault(@PathParam("tenant") String tenant, @PathParam("number") String number) {
        return act(null, () -> numbers.makeDefault(number), Done.DEFAULT_SET);
    }

    @POST
    @Path("/{number}/resume-marketing")
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resumeMarketing(@PathParam("tenant") String tenant, @PathParam("number") String number) {
        return act(null, () -> numbers.resumeMarketing(number, caller.userId().toString()), Done.MARKETING_RESUMED);
    }

    @POST
    @Path("/{number}/remove")
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("tenant") String tenant, @PathParam("number") String number) {
        return act(null, () -> numbers.remove(number), Done.REMOVED);
    }

    /** Runs an action; the page again with what happened, or with the refusal in the page's language. */
    private Response act(String form, Runnable action, Done done) {
        try {
            action.run();
            return Response.ok(page(null, Map.of(), done)).build();
        } catch (ApiException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            e.errors().forEach((field, code) -> errors.put(field, Texts.resolve(code, page.locale())));
            if (errors.isEmpty()) {
                errors.put("_form", Texts.resolve(e.getMessage(), page.locale()));
            }
            return Response.status(e.status()).entity(page(form, errors, null)).build();
        }
    }

    private TemplateInstance page(String form, Map<String, String> errors, Done done) {
        return Templates.numbers(!settings.sandbox(), numbers.all(), form, errors, done);
    }
}
