package io.consentcast.dispatch;

import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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

import io.consentcast.consent.ConsentAudience;
import io.consentcast.lists.ListService;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Paging;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.Flash;
import io.consentcast.web.PageContext;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ChannelType;
import io.consentcast.whatsapp.TemplateService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The issue pages: overview, compose (template picker with its variables and a preview bubble),
 * the issue with live progress (a small script polls {@code /progress}), the per-list archive and
 * the dispatch settings.
 */
@Path("/t/{tenant}/issues")
@Produces(MediaType.TEXT_HTML)
public class IssuePages {

    static final int MAX_PARAMETERS = 10;

    @Inject
    IssueService issues;

    @Inject
    DispatchConfig dispatchConfig;

    @Inject
    DispatchSettingsService settings;

    @Inject
    ListService lists;

    @Inject
    TemplateService templates;

    @Inject
    ChannelSettingsService channel;

    @Inject
    Caller caller;

    @Inject
    PageContext page;

    @Inject
    ConsentAudience audience;

    @Inject
    RoutingContext routing;

    @Inject
    io.consentcast.whatsapp.MediaConfig mediaConfig;

    /** The compose form, as typed. {@code template} is "name|language"; {@code scheduledAt} a local date-time. */
    public static class IssueForm {
        @FormParam("list") public String list;
        @FormParam("title") public String title;
        @FormParam("template") public String template;
        @FormParam("p1") public String p1;
        @FormParam("p2") public String p2;
        @FormParam("p3") public String p3;
        @FormParam("p4") public String p4;
        @FormParam("p5") public String p5;
        @FormParam("p6") public String p6;
        @FormParam("p7") public String p7;
        @FormParam("p8") public String p8;
        @FormParam("p9") public String p9;
        @FormParam("p10") public String p10;
        @FormParam("text") public String text;
        /** A media header's https link or a TEXT header's value. */
        @FormParam("header") public String header;
        /** The values of the template's dynamic URL buttons (Meta allows two URL buttons). */
        @FormParam("button1") public String button1;
        @FormParam("button2") public String button2;
        @FormParam("scheduledAt") public String scheduledAt;
        @FormParam("action") public String action;
        /** An uploaded header file (multipart form only; HeaderMedia checks and stores it). */
        @org.jboss.resteasy.reactive.RestForm("headerFile") public org.jboss.resteasy.reactive.multipart.FileUpload headerFile;

        public List<String> values() {
            List<String> out = new ArrayList<>();
            for (String v : new String[] { p1, p2, p3, p4, p5, p6, p7, p8, p9, p10 }) {
                out.add(v == null ? "" : v);
            }
            return out;
        }

        public String value(int i) {
            return values().get(i);
        }
    }

    /** A template option of the picker: its variables and body for the preview script. */
    public record TemplateOption(String value, String label, String category, int parameterCount, String body) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<IssueService.IssueView> issues, String heading);

        static native TemplateInstance compose(IssueForm form, Map<String, String> errors,
                List<ListService.ListView> lists, List<TemplateOption> templates, boolean sandbox, String zone,
                String editId);

        static native TemplateInstance issue(IssueService.IssueView issue, String blockedText, String pausedText,
                IssueService.DeliveryPage deliveries, String state, long outcomeWindowMinutes, long sandboxOnly,
                List<String> warnings);

        static native TemplateInstance settings(DispatchSettingsService.SettingsView settings,
                Map<String, String> errors);
    }

    @GET
    public TemplateInstance index(@PathParam("tenant") String tenant) {
        return Templates.index(issues.all(), null);
    }

    @GET
    @Path("/archive/{list}")
    public TemplateInstance archive(@PathParam("tenant") String tenant, @PathParam("list") String slug) {
        ListService.ListView list = lists.bySlug(slug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        return Templates.index(issues.ofList(list.id()), list.name());
    }

    @GET
    @Path("/new")
    @MinRole(Role.EDITOR)
    public TemplateInstance newForm(@PathParam("tenant") String tenant, @QueryParam("list") String list) {
        IssueForm f = new IssueForm();
        f.list = list;
        return compose(f, Map.of(), null);
    }

    @POST
    @Path("/new")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @MinRole(Role.EDITOR)
    public Response create(@PathParam("tenant") String tenant, @BeanParam IssueForm form) {
        try {
            boolean sending = "send".equals(form.action) || "schedule".equals(form.action);
            if (sending && !page.can("ADMIN")) {
                throw ApiException.forbidden("dispatch.send-needs-admin");
            }
            IssueService.IssueRequest request = request(form, "schedule".equals(form.action));
            IssueService.Created created = issues.create(request, caller.userId(), upload(form), "headerFile");
            String flash = "dispatch.flash-created";
            if ("send".equals(form.action)) {
                created = issues.sendNow(created.id());
                flash = created.status() == IssueStatus.BLOCKED ? "dispatch.flash-blocked" : "dispatch.flash-sending";
            } else if (created.status() == IssueStatus.SCHEDULED) {
                flash = "dispatch.flash-scheduled";
            } else if (created.status() == IssueStatus.BLOCKED) {
                flash = "dispatch.flash-blocked";
            }
            Flash.set(routing, "success", flash);
            return Response.seeOther(URI.create("/t/" + tenant + "/issues/" + created.id())).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(compose(form, page.formErrors(e), null)).build();
        }
    }

    @GET
    @Path("/{id}/edit")
    @MinRole(Role.EDITOR)
    public TemplateInstance editForm(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        IssueService.IssueView v = issues.view(IssueApi.id(id));
        IssueForm f = new IssueForm();
        f.list = v.list();
        f.title = v.title();
        f.text = v.text();
        if (v.template() != null) {
            f.template = v.template().name() + "|" + v.template().language();
            List<String> p = v.template().parameters();
            String[] slots = new String[MAX_PARAMETERS];
            for (int i = 0; i < p.size() && i < MAX_PARAMETERS; i++) {
                slots[i] = p.get(i);
            }
            f.p1 = slots[0]; f.p2 = slots[1]; f.p3 = slots[2]; f.p4 = slots[3]; f.p5 = slots[4];
            f.p6 = slots[5]; f.p7 = slots[6]; f.p8 = slots[7]; f.p9 = slots[8]; f.p10 = slots[9];
            f.header = v.template().header();
            List<String> b = v.template().buttons();
            f.button1 = b.size() > 0 ? b.get(0) : null;
            f.button2 = b.size() > 1 ? b.get(1) : null;
        }
        if (v.scheduledAt() != null) {
            f.scheduledAt = v.scheduledAt().substring(0, Math.min(16, v.scheduledAt().length()));
        }
        return compose(f, Map.of(), id);
    }

    @POST
    @Path("/{id}/edit")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @MinRole(Role.EDITOR)
    public Response edit(@PathParam("tenant") String tenant, @PathParam("id") String id, @BeanParam IssueForm form) {
        try {
            // Only senders move the time; an editor's edit keeps a scheduled issue's time as it is.
            boolean scheduling = form.scheduledAt != null && !form.scheduledAt.isBlank() && page.can("ADMIN");
            issues.update(IssueApi.id(id), request(form, scheduling), upload(form), "headerFile");
            Flash.set(routing, "success", "dispatch.flash-saved");
            return Response.seeOther(URI.create("/t/" + tenant + "/issues/" + id)).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(compose(form, page.formErrors(e), id)).build();
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance issue(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @QueryParam("state") String state, @QueryParam("page") String page) {
        UUID uuid = IssueApi.id(id);
        IssueService.IssueView v = issues.view(uuid);
        String filter = state == null || state.isBlank() ? null : state;
        IssueService.DeliveryPage deliveries = issues.deliveries(uuid, filter, Paging.page(page, "page"));
        return Templates.issue(v, text(v.blockedReason()), text(v.pausedReason()), deliveries,
                filter == null ? "" : filter, dispatchConfig.outcomeWindow().toMinutes(), sandboxOnly(v),
                warnings(v));
    }

    /**
     * Before an issue starts in a workspace on the Cloud API: how many readers of its list confirmed only
     * through the sandbox, and so will be excluded ({@link io.consentcast.consent.EligibilityRule#SANDBOX_ONLY}).
     */
    private long sandboxOnly(IssueService.IssueView v) {
        boolean notStarted = v.status() == IssueStatus.DRAFT || v.status() == IssueStatus.SCHEDULED
                || v.status() == IssueStatus.BLOCKED;
        if (!notStarted || v.list() == null || channel.sandbox()) {
            return 0;
        }
        return lists.bySlug(v.list()).map(l -> audience.sandboxOnly(l.id())).orElse(0L);
    }

    /** The JSON the issue page polls for live progress. */
    @GET
    @Path("/{id}/progress")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML })
    public Response progress(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        // Always JSON; declared for HTML too so that a browser-like Accept header gets the same answer.
        return Response.ok(issues.view(IssueApi.id(id)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("/{id}/send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response send(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        IssueService.Created c = issues.sendNow(IssueApi.id(id));
        return back(tenant, id, c.status() == IssueStatus.BLOCKED ? "dispatch.flash-blocked" : "dispatch.flash-sending");
    }

    @POST
    @Path("/{id}/schedule")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response schedule(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @FormParam("scheduledAt") String scheduledAt) {
        IssueService.Created c = issues.schedule(IssueApi.id(id), requiredTime(scheduledAt));
        return back(tenant, id, c.status() == IssueStatus.BLOCKED ? "dispatch.flash-blocked" : "dispatch.flash-scheduled");
    }

    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response pause(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        issues.pause(IssueApi.id(id));
        return back(tenant, id, "dispatch.flash-paused");
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response resume(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        issues.resume(IssueApi.id(id));
        return back(tenant, id, "dispatch.flash-resumed");
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response cancel(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        issues.cancel(IssueApi.id(id));
        return back(tenant, id, "dispatch.flash-cancelled");
    }

    @POST
    @Path("/{id}/duplicate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.EDITOR)
    public Response duplicate(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        IssueService.Created c = issues.duplicate(IssueApi.id(id), caller.userId());
        Flash.set(routing, "success", "dispatch.flash-duplicated");
        return Response.seeOther(URI.create("/t/" + tenant + "/issues/" + c.id() + "/edit")).build();
    }

    @GET
    @Path("/settings")
    public TemplateInstance settingsPage(@PathParam("tenant") String tenant) {
        return Templates.settings(settings.view(), Map.of());
    }

    @POST
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response saveSettings(@PathParam("tenant") String tenant, @FormParam("ratePerSecond") String rate,
            @FormParam("sendingHoursStart") String start, @FormParam("sendingHoursEnd") String end,
            @FormParam("consentExpiryMonths") String months) {
        try {
            settings.save(new DispatchSettingsService.SettingsRequest(number(rate, "ratePerSecond", "dispatch.rate-invalid"),
                    start, end, number(months, "consentExpiryMonths", "dispatch.expiry-invalid")));
            Flash.set(routing, "success", "dispatch.flash-settings");
            return Response.seeOther(URI.create("/t/" + tenant + "/issues/settings")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(Templates.settings(settings.view(), page.formErrors(e))).build();
        }
    }

    private static Integer number(String value, String field, String code) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(Map.of(field, code));
        }
    }

    private Response back(String tenant, String id, String flash) {
        Flash.set(routing, "success", flash);
        return Response.seeOther(URI.create("/t/" + tenant + "/issues/" + id)).build();
    }

    private TemplateInstance compose(IssueForm form, Map<String, String> errors, String editId) {
        boolean sandbox = channel.view().kind() == ChannelType.SANDBOX;
        List<TemplateOption> options = templates.views().stream().filter(TemplateService.TemplateView::usable)
                .map(t -> new TemplateOption(t.name() + "|" + t.language(), t.name() + " (" + t.language() + ", "
                        + t.category() + ")", t.category(), Math.min(t.parameterCount(), MAX_PARAMETERS),
                        t.bodyText() == null ? "" : t.bodyText()))
                .toList();
        return Templates.compose(form, errors, lists.all(), options, sandbox, settings.view().timezone(), editId);
    }

    private IssueService.IssueRequest request(IssueForm f, boolean withTime) {
        IssueService.TemplateRef template = null;
        String text = f.text == null || f.text.isBlank() ? null : f.text;
        if (text == null && f.template != null && f.template.contains("|")) {
            String[] parts = f.template.split("\\|", 2);
            int count = templates.views().stream().filter(t -> t.name().equals(parts[0]) && t.language().equals(parts[1]))
                    .mapToInt(TemplateService.TemplateView::parameterCount).findFirst().orElse(0);
            int urlButtons = templates.views().stream()
                    .filter(t -> t.name().equals(parts[0]) && t.language().equals(parts[1]))
                    .mapToInt(t -> t.layout().dynamicUrlButtons().size()).findFirst().orElse(0);
            List<String> buttons = new ArrayList<>();
            for (String b : new String[] { f.button1, f.button2 }) {
                if (buttons.size() < urlButtons) {
                    buttons.add(b == null ? "" : b);
                }
            }
            template = new IssueService.TemplateRef(parts[0], parts[1],
                    f.values().subList(0, Math.min(count, MAX_PARAMETERS)),
                    f.header == null || f.header.isBlank() ? null : f.header, buttons);
        }
        return new IssueService.IssueRequest(f.list, f.title, template, text, withTime ? requiredTime(f.scheduledAt) : null);
    }

    /** The form's header file, read up to one byte over the installation's limit; null when none was chosen. */
    private HeaderMedia.Upload upload(IssueForm f) {
        org.jboss.resteasy.reactive.multipart.FileUpload file = f.headerFile;
        if (file == null || file.uploadedFile() == null || file.fileName() == null || file.fileName().isBlank()) {
            return null;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file.uploadedFile())) {
            return new HeaderMedia.Upload(file.contentType(), file.fileName(),
                    HeaderMediaApi.readAtMost(in, mediaConfig.maxBytes() + 1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** "Schedule" needs its time: without one it is a form error, never a draft saved instead. */
    private String requiredTime(String local) {
        String zoned = zoned(local);
        if (zoned == null) {
            throw ApiException.invalid(Map.of("scheduledAt", "dispatch.scheduled-at-required"));
        }
        return zoned;
    }

    /** A date-time typed in the workspace's zone, as an ISO offset date-time; null when empty. */
    private String zoned(String local) {
        if (local == null || local.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local.trim()).atZone(settings.view().zone()).toOffsetDateTime().toString();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(Map.of("scheduledAt", "dispatch.scheduled-at-invalid"));
        }
    }

    /** The preflight's warnings (messaging limit shortfall, marketing paused) in the page's language. */
    private List<String> warnings(IssueService.IssueView v) {
        java.util.Locale locale = this.page.locale();
        return v.outlook() == null ? List.<String>of()
                : v.outlook().warnings().stream().map(w -> w.text(locale)).toList();
    }

    private String text(String code) {
        return code == null ? null : Texts.resolve(code, page.locale());
    }
}
