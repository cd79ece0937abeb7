package io.consentcast.whatsapp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Pages: channel settings (ADMIN), templates, and the sandbox phone. */
@Path("/t/{tenant}")
@Produces(MediaType.TEXT_HTML)
public class WhatsAppPages {

    @Inject
    ChannelSettingsService settings;

    @Inject
    TemplateService templates;

    @Inject
    SandboxPhone phone;

    @Inject
    WebhookInbox inbox;

    @Inject
    PageContext page;

    @Inject
    SandboxConfirmations sandboxConfirmations;

    @Inject
    MessagingLimits limits;

    @Inject
    MarketingGuard guard;

    @Inject
    io.consentcast.tenancy.Caller caller;

    public record ChannelForm(String type, String phoneNumberId, String businessAccountId, String displayPhoneNumber) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance channel(ChannelSettingsService.ChannelView current, ChannelForm form,
                Map<String, String> errors, boolean saved, ChannelSettingsService.TestResult test, long sandboxOnly,
                MessagingLimits.Usage limit, MarketingGuard.QualityView quality);

        static native TemplateInstance templates(List<TemplateService.TemplateView> templates, Integer synced,
                Map<String, String> errors);

        static native TemplateInstance parked(List<WebhookInbox.ParkedWebhook> parked);

        static native TemplateInstance sandbox(List<SandboxPhone.Conversation> conversations, String number,
                String text, Map<String, String> errors, List<TemplateService.TemplateView> templates);
    }

    @GET
    @Path("channel")
    @MinRole(Role.ADMIN)
    public TemplateInstance channel(@PathParam("tenant") String tenant) {
        ChannelSettingsService.ChannelView v = settings.view();
        return channelPage(v, form(v), Map.of(), false, null);
    }

    @POST
    @Path("channel")
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveChannel(@PathParam("tenant") String tenant, @FormParam("type") String type,
            @FormParam("phoneNumberId") String phoneNumberId, @FormParam("businessAccountId") String businessAccountId,
            @FormParam("displayPhoneNumber") String displayPhoneNumber, @FormParam("accessToken") String accessToken) {
        ChannelForm form = new ChannelForm(type, phoneNumberId, businessAccountId, displayPhoneNumber);
        try {
            ChannelSettingsService.ChannelView v = settings.save(new ChannelSettingsService.ChannelRequest(type,
                    phoneNumberId, businessAccountId, displayPhoneNumber, accessToken));
            return Response.ok(channelPage(v, form(v), Map.of(), true, null))
                    .build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(channelPage(settings.view(), form, localized(e), false,
                    null)).build();
        }
    }

    @POST
    @Path("channel/test")
    @MinRole(Role.ADMIN)
    public TemplateInstance testChannel(@PathParam("tenant") String tenant) {
        ChannelSettingsService.ChannelView v = settings.view();
        return channelPage(v, form(v), Map.of(), false, settings.test());
    }

    /** An admin resumes marketing after a quality pause; refused with the reason while the cause is still there. */
    @POST
    @Path("channel/quality/acknowledge")
    @MinRole(Role.ADMIN)
    public Response acknowledgeQuality(@PathParam("tenant") String tenant) {
        ChannelSettingsService.ChannelView v = settings.view();
        try {
            guard.acknowledge(caller.userId().toString());
            return Response.ok(channelPage(v, form(v), Map.of(), false, null)).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(channelPage(v, form(v), localized(e), false, null)).build();
        }
    }

    private TemplateInstance channelPage(ChannelSettingsService.ChannelView v, ChannelForm form,
            Map<String, String> errors, boolean saved, ChannelSettingsService.TestResult test) {
        return Templates.channel(v, form, errors, saved, test, sandboxConfirmations.readers(),
                limits.usage().orElse(null), guard.view());
    }

    /** Signed webhooks for this workspace's number that could never be processed, with the reason. */
    @GET
    @Path("channel/parked")
    @MinRole(Role.ADMIN)
    public TemplateInstance parkedWebhooks(@PathParam("tenant") String tenant) {
        return Templates.parked(inbox.parked(100));
    }

    @GET
    @Path("templates")
    public TemplateInstance templatesPage(@PathParam("tenant") String tenant) {
        return Templates.templates(templates.views(), null, Map.of());
    }

    @POST
    @Path("templates/sync")
    @MinRole(Role.ADMIN)
    public Response syncTemplates(@PathParam("tenant") String tenant) {
        try {
            TemplateService.SyncResult r = templates.sync();
            return Response.ok(Templates.templates(templates.views(), r.count(), Map.of())).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(Templates.templates(templates.views(), null, localized(e)))
                    .build();
        }
    }

    @GET
    @Path("sandbox")
    public TemplateInstance sandbox(@PathParam("tenant") String tenant, @QueryParam("number") String number) {
        phone.requireActive();
        return sandboxView(number == null ? "" : number, "", Map.of());
    }

    @POST
    @Path("sandbox/messages")
    @MinRole(Role.EDITOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response write(@PathParam("tenant") String tenant, @FormParam("number") String number,
            @FormParam("text") String text) {
        phone.requireActive();
        try {
            String from = phone.write(number, text);
            return backToPhone(tenant, from);
        } catch (ApiException e) {
            return Response.status(e.status())
                    .entity(sandboxView(number == null ? "" : number, text == null ? "" : text, localized(e))).build();
        }
    }

    @POST
    @Path("sandbox/tap")
    @MinRole(Role.EDITOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response tap(@PathParam("tenant") String tenant, @FormParam("number") String number,
            @FormParam("messageId") String messageId, @FormParam("index") int index) {
        phone.requireActive();
        String from = phone.tap(number, messageId, index);
        return backToPhone(tenant, from);
    }

    /** Plays Meta's quality report for the sandbox number; the channel page shows what it did. */
    @POST
    @Path("sandbox/quality")
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response qualityReport(@PathParam("tenant") String tenant, @FormParam("event") String event) {
        phone.requireActive();
        try {
            phone.qualityReport(event);
            return Response.seeOther(java.net.URI.create("/t/" + tenant + "/channel#quality")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(sandboxView("", "", localized(e))).build();
        }
    }

    @POST
    @Path("sandbox/send")
    @MinRole(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sendSample(@PathParam("tenant") String tenant, @FormParam("number") String number,
            @FormParam("template") String template, @FormParam("variables") String variables) {
        phone.requireActive();
        try {
            SendResult r = phone.sendSample(number, template, variables);
            if (r instanceof SendResult.Failed f) {
                return Response.status(400).entity(sandboxView(number, "",
                        Map.of("_form", f.message() + (f.details() == null ? "" : ": " + f.details())))).build();
            }
            return backToPhone(tenant, phone.normalise(number));
        } catch (ApiException e) {
            return Response.status(e.status()).entity(sandboxView(number == null ? "" : number, "", localized(e)))
                    .build();
        }
    }

    private TemplateInstance sandboxView(String number, String text, Map<String, String> errors) {
        List<TemplateService.TemplateView> usable = templates.views().stream()
                .filter(TemplateService.TemplateView::usable).toList();
        return Templates.sandbox(phone.conversations(), number, text, errors, usable);
    }

    private static Response backToPhone(String tenant, String number) {
        return Response.seeOther(URI.create("/t/" + tenant + "/sandbox?number="
                + URLEncoder.encode(number, StandardCharsets.UTF_8) + "#chat-" + number)).build();
    }

    private static ChannelForm form(ChannelSettingsService.ChannelView v) {
        return new ChannelForm(v.type(), v.phoneNumberId(), v.businessAccountId(), v.displayPhoneNumber());
    }

    private Map<String, String> localized(ApiException e) {
        Map<String, String> out = new LinkedHashMap<>();
        e.errors().forEach((field, code) -> out.put(field, Texts.resolve(code, page.locale())));
        if (out.isEmpty()) {
            out.put("_form", Texts.resolve(e.getMessage(), page.locale()));
        }
        return out;
    }
}
