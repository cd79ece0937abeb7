package io.consentcast.consent;

import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.consentcast.audit.ActivityFilter;
import io.consentcast.audit.ActivityViews;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.InputText;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.web.DateTimes;
import io.consentcast.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Pages: a subscriber's consent record (timeline and printable receipt) and "Audit & exports". */
@Path("/t/{tenant}")
@Produces(MediaType.TEXT_HTML)
public class ConsentPages {

    @Inject
    SubscriberService subscribers;

    @Inject
    ConsentService consent;

    @Inject
    LedgerVerifier verifier;

    @Inject
    LedgerExport export;

    @Inject
    LedgerCheckpoints checkpoints;

    @Inject
    ActivityViews activity;

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Caller caller;

    @Inject
    PageContext page;

    @Inject
    EntityManager em;

    @Inject
    ConsentQueries queries;

    @Inject
    ListNames listNames;

    @Inject
    io.vertx.ext.web.RoutingContext routing;

    /** One line of the timeline, formatted for the page's language and the workspace's time zone. */
    public record Entry(long seq, String when, String typeKey, String list, String sourceKey, String sourceDetail,
            Integer textVersion, String textLanguage, String ip, String userAgent, boolean evidenceWithheld,
            String waMessageId, String waWhen, String actor, String reason, String hash) {
    }

    public record State(UUID listId, String list, String stateKey, String since) {
    }

    public record Checkpoint(long seq, String at, String hash) {
    }

    public record Activity(String when, String who, String action, String subject, String detail) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance timeline(SubscriberView subscriber, String since, String erasedAt,
                boolean erasedNow, List<State> states, List<Entry> entries, List<ConsentTextView> texts);

        static native TemplateInstance directory(ConsentQueries.DirectoryPage result, Map<UUID, String> lists,
                String list, String state, String from, String to, String q, Map<String, String> errors);

        static native TemplateInstance audit(LedgerVerifier.Result verification, Checkpoint checkpoint,
                List<Activity> activity, String findError, String phone, java.util.Collection<String> exportErrors);
    }

    @GET
    @Path("subscribers/{id}")
    @Transactional
    public TemplateInstance timeline(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @QueryParam("erased") String erased) {
        SubscriberView s = subscribers.get(id);
        DateTimeFormatter time = formatter();
        List<EventView> events = subscribers.events(s.id());
        List<ConsentTextView> texts = events.stream().map(EventView::consentTextId).filter(Objects::nonNull)
                .distinct().map(consent::consentText).flatMap(Optional::stream).toList();
        Map<UUID, String> actors = tenancy.userLabels(events.stream().map(EventView::actorUserId)
                .filter(Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
        List<Entry> entries = events.stream().map(e -> new Entry(e.seq(), time.format(e.occurredAt()),
                "type_" + e.type().name(), listLabel(e.listId()), "source_" + e.source().name(), e.sourceDetail(),
                texts.stream().filter(t -> t.id().equals(e.consentTextId())).map(ConsentTextView::version)
                        .findFirst().orElse(null),
                texts.stream().filter(t -> t.id().equals(e.consentTextId())).map(ConsentTextView::language)
                        .findFirst().orElse(null),
                e.ip(), e.userAgent(), e.evidenceWithheld(), e.waMessageId(), e.waTimestamp() == null ? null : time.format(e.waTimestamp()),
                actor(actors, e.actorUserId()), e.reason(), e.hash())).toList();
        List<State> states = consent.states(s.id()).stream()
                .map(st -> new State(st.listId(), listLabel(st.listId()), "state_" + st.state().name(),
                        time.format(st.since())))
                .toList();
        return Templates.timeline(s, time.format(s.createdAt()), s.erasedAt() == null ? null : time.format(s.erasedAt()),
                erased != null, states, entries, texts);
    }

    @GET
    @Path("subscribers/{id}/export")
    @MinRole(Role.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Response exportSubscriber(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return Response.ok(subscribers.export(id, caller.userId())).header("Content-Disposition",
                "attachment; filename=\"subscriber-" + id + ".json\"").build();
    }

    /** An admin withdraws a subscriber's consent (for example after a phone call): recorded with the admin. */
    @POST
    @Path("subscribers/{id}/withdraw")
    @MinRole(Role.ADMIN)
    public Response withdraw(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @jakarta.ws.rs.FormParam("list") String list, @jakarta.ws.rs.FormParam("reason") String reason) {
        subscribers.get(id);
        UUID listId = null;
        try {
            listId = list == null || list.isBlank() ? null : UUID.fromString(list);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("directory.filter-list");
        }
        listNames.require(listId, "list");
        InputText.Fault fault = InputText.fault(reason);
        if (fault != null) {
            throw ApiException.invalid(Map.of("reason", fault.code));
        }
        String why = reason == null || reason.isBlank() ? "withdrawn by an admin" : reason.strip();
        subscribers.withdrawByMember(id, listId, why.length() > 500 ? why.substring(0, 500) : why, caller.userId());
        io.consentcast.web.Flash.set(routing, "success", "directory.flash-withdrawn");
        return Response.seeOther(URI.create("/t/" + tenant + "/subscribers/" + id)).build();
    }

    @POST
    @Path("subscribers/{id}/erase")
    @MinRole(Role.ADMIN)
    public Response erase(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        subscribers.erase(id, caller.userId());
        return Response.seeOther(URI.create("/t/" + tenant + "/subscribers/" + id + "?erased=1")).build();
    }

    /**
     * The subscriber directory, filtered by list, state, date and number; from the audit page's lookup
     * ({@code phone}) it goes straight to the subscriber's consent record.
     */
    @GET
    @Path("subscribers")
    public Response directory(@PathParam("tenant") String tenant, @QueryParam("phone") String phone,
            @QueryParam("list") String list, @QueryParam("state") String state, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("q") String q, @QueryParam("page") String pageNumber) {
        if (phone != null) {
            return findByPhone(tenant, phone);
        }
        Map<UUID, String> names = listNames.names();
        try {
            DirectoryFilter filter = DirectoryFilter.parse(list, state, from, to, pageNumber);
            ConsentQueries.DirectoryPage result = queries.directory(filter.list(), filter.state(), filter.from(),
                    filter.to(), q, filter.page());
            return Response.ok(Templates.directory(result, names, list, state, from, to, q, Map.of())).build();
        } catch (ApiException e) {
            return Response.status(400).entity(Templates.directory(new ConsentQueries.DirectoryPage(List.of(), 0, 1,
                    ConsentQueries.PAGE_SIZE), names, list, state, from, to, q, page.formErrors(e))).build();
        }
    }

    /** Finds a subscriber by number (as people write it) and shows their consent record. */
    private Response findByPhone(String tenant, String phone) {
        if (!currentTenant.role().atLeast(Role.ADMIN)) {
            throw ApiException.forbidden("workspace.role-too-low");
        }
        String error;
        try {
            Optional<SubscriberView> s = subscribers.findByPhone(phone);
            if (s.isPresent()) {
                return Response.seeOther(URI.create("/t/" + tenant + "/subscribers/" + s.get().publicId())).build();
            }
            error = "audit_not_found";
        } catch (ApiException e) {
            error = e.errors().values().stream().findFirst().orElse(e.getMessage());
        }
        String text = error.startsWith("audit_") ? null : Texts.resolve(error, page.locale());
        return Response.status(error.startsWith("audit_") ? 404 : 400)
                .entity(auditPage(null, text == null ? error : text, phone, List.of())).build();
    }

    @GET
    @Path("audit")
    @MinRole(Role.ADMIN)
    public TemplateInstance audit(@PathParam("tenant") String tenant) {
        return auditPage(null, null, "", List.of());
    }

    @POST
    @Path("audit/verify")
    @MinRole(Role.ADMIN)
    public TemplateInstance verify(@PathParam("tenant") String tenant) {
        LedgerVerifier.Result result = verifier.verify();
        if (result.valid()) {
            // A verified ledger is sealed at once: the page then shows this checkpoint, not "no checkpoint yet".
            checkpoints.checkpoint();
        }
        return auditPage(result, null, "", List.of());
    }

    @GET
    @Path("audit/export")
    @MinRole(Role.ADMIN)
    public Response exportEvents(@PathParam("tenant") String tenant, @QueryParam("format") String format,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("list") String list,
            @QueryParam("subscriber") String subscriber) {
        LedgerExport.Request request;
        try {
            request = export.parse(format, from, to, list, subscriber);
        } catch (ApiException e) {
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(auditPage(null, null, "", localized(e))).build();
        }
        export.recordExport(request, caller.userId());
        String tenantId = currentTenant.id();
        StreamingOutput body = out -> export.write(tenantId, request, out);
        return Response.ok(body, request.format().mediaType).header("Content-Disposition",
                "attachment; filename=\"consent-events-" + tenant + "." + request.format().extension + "\"").build();
    }

    @GET
    @Path("audit/manifest")
    @MinRole(Role.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Response manifest(@PathParam("tenant") String tenant, @QueryParam("format") String format,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("list") String list,
            @QueryParam("subscriber") String subscriber) {
        LedgerExport.Request request = export.parse(format, from, to, list, subscriber);
        return Response.ok(export.manifest(currentTenant.id(), request)).header("Content-Disposition",
                "attachment; filename=\"consent-events-" + tenant + "-manifest.json\"").build();
    }

    private List<String> localized(ApiException e) {
        return List.copyOf(page.formErrors(e).values());
    }

    private TemplateInstance auditPage(LedgerVerifier.Result verification, String findError, String phone,
            List<String> exportErrors) {
        DateTimeFormatter time = formatter();
        Checkpoint checkpoint = checkpoints.latest()
                .map(c -> new Checkpoint(c.seq(), time.format(c.createdAt()), c.hash())).orElse(null);
        List<Activity> entries = activity.page(ActivityFilter.NONE, 10, null, page.locale()).stream()
                .map(a -> new Activity(a.when(), a.actor(), a.kind(), a.subject(), a.detail())).toList();
        return Templates.audit(verification, checkpoint, entries, findError, phone == null ? "" : phone,
                exportErrors);
    }

    /** Dates and times as on every page ({@link DateTimes}): the workspace's time zone, the page's language. */
    private DateTimeFormatter formatter() {
        return DateTimes.formatter(DateTimes.Style.DATE_TIME, page.locale(), page.zone());
    }

    private String listLabel(UUID listId) {
        return listId == null ? null : listNames.names().getOrDefault(listId, listId.toString());
    }

    private static String actor(Map<UUID, String> labels, UUID userId) {
        return userId == null ? null : labels.getOrDefault(userId, userId.toString());
    }
}
