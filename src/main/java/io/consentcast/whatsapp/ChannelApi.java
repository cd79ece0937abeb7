package io.consentcast.whatsapp;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** The workspace's WhatsApp channel and templates (OWNER/ADMIN for the channel, any member reads templates). */
@Path("/api/tenants/{tenant}")
public class ChannelApi {

    @Inject
    ChannelSettingsService settings;

    @Inject
    TemplateService templates;

    @Inject
    WebhookInbox inbox;

    @GET
    @Path("/channel")
    @MinRole(Role.ADMIN)
    public ChannelSettingsService.ChannelView get(@PathParam("tenant") String tenant) {
        return settings.view();
    }

    @PUT
    @Path("/channel")
    @MinRole(Role.ADMIN)
    public ChannelSettingsService.ChannelView put(@PathParam("tenant") String tenant,
            ChannelSettingsService.ChannelRequest body) {
        return settings.save(body);
    }

    @POST
    @Path("/channel/test")
    @MinRole(Role.ADMIN)
    public ChannelSettingsService.TestResult test(@PathParam("tenant") String tenant) {
        return settings.test();
    }

    /** Signed webhooks for this workspace's number that could never be processed, newest first, with the reason. */
    @GET
    @Path("/channel/parked-webhooks")
    @MinRole(Role.ADMIN)
    public List<WebhookInbox.ParkedWebhook> parkedWebhooks(@PathParam("tenant") String tenant) {
        return inbox.parked(100);
    }

    @GET
    @Path("/templates")
    public List<TemplateService.TemplateView> templates(@PathParam("tenant") String tenant) {
        return templates.views();
    }

    @POST
    @Path("/templates/sync")
    @MinRole(Role.ADMIN)
    public List<TemplateService.TemplateView> sync(@PathParam("tenant") String tenant) {
        templates.sync();
        return templates.views();
    }
}
