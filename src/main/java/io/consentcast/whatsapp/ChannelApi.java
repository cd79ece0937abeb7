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

    @Inject
    MessagingLimits limits;

    @Inject
    MarketingGuard guard;

    @Inject
    CostEstimates costs;

    @Inject
    io.consentcast.tenancy.Caller caller;

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

    /** The portfolio's messaging limit, when it was learnt, and its use in the moving 24 hours. */
    @GET
    @Path("/channel/messaging-limit")
    public MessagingLimits.Usage messagingLimit(@PathParam("tenant") String tenant) {
        return limits.usage().orElseThrow(() -> io.consentcast.shared.ApiException.notFound("whatsapp.no-account"));
    }

    /** The number's quality, whether marketing may be sent on it now, and the last observations. */
    @GET
    @Path("/channel/quality")
    public MarketingGuard.QualityView quality(@PathParam("tenant") String tenant) {
        return guard.view();
    }

    /** Resumes marketing after a quality pause (409 while the cause is still there); records who did it. */
    @POST
    @Path("/channel/quality/acknowledge")
    @MinRole(Role.ADMIN)
    public MarketingGuard.MarketingDecision acknowledgeQuality(@PathParam("tenant") String tenant) {
        return guard.acknowledge(caller.userId().toString());
    }

    /** What a template of a category would cost for the given numbers, by the installation's rate card. */
    @POST
    @Path("/cost-estimates")
    public CostEstimates.Estimate estimate(@PathParam("tenant") String tenant, CostEstimates.EstimateRequest body) {
        return costs.estimate(body);
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
