package io.consentcast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.lists.ListPurpose;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Dates;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Paging;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.TemplateBody;
import io.consentcast.whatsapp.TemplateService;
import io.consentcast.whatsapp.TemplateService.TemplateView;
import io.consentcast.whatsapp.WhatsAppChannel;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Newsletter issues of the current workspace: composing, the status machine (schedule, send,
 * pause, resume, cancel), the preflight, starting (materialising the deliveries) and the views.
 * Every change of status that needs the engine writes the platform {@link DispatchJob} row in the
 * same transaction. See docs/DISPATCH.md.
 */
@ApplicationScoped
public class IssueService {


    static final int MAX_TITLE = 200;
    static final int MAX_TEXT = 4096;
    static final int MAX_PARAMETER = 1024;
    static final int PAGE_SIZE = 50;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ListService lists;

    @Inject
    TemplateService templates;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    DispatchSettingsService settings;

    @Inject
    DispatchConfig config;


    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    public record TemplateRef(String name, String language, List<String> parameters) {
    }

    /** The body of {@code POST /issues} and of edits; {@code text} is free text (sandbox only) instead of a template. */
    public record IssueRequest(String list, String title, TemplateRef template, String text, String scheduledAt) {
    }

    public record Created(UUID id, IssueStatus status) {
    }

    /**
     * An issue's counts. {@code pending}: rows not sent yet (waiting, claimed, on the wire); {@code awaiting}:
     * rows whose send has an unknown outcome, waiting for Meta's status webhook (at most the outcome window).
     */
    public record Counts(long eligible, long excluded, long sent, long delivered, long read, long failed,
            long pending, long awaiting, long total) {

        /** Rows with a final decision (for the progress bar). */
        public long decided() {
            return total - pending - awaiting;
        }
    }

    public record IssueView(UUID id, IssueStatus status, String list, String listName, String title,
            TemplateRef template, String text, String preview, String scheduledAt, String blockedReason,
            String blockedMessage, String pausedReason, String pausedMessage, Counts counts,
            Map<String, Long> excludedByReason, Map<String, Long> failedByReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, Long durationSeconds) {
    }

    public record DeliveryView(long id, UUID subscriberId, DeliveryState state, String reason, String detail,
            UUID consentEventId, String providerMessageId, String providerStatus, Integer errorCode, int attempts,
            Instant sentAt, Instant deliveredAt, Instant readAt) {
    }

    public record DeliveryPage(List<DeliveryView> items, long total, int page, int pageSize) {

        public boolean hasNext() {
            return (long) page * pageSize < total;
        }

        public int next() {
            return page + 1;
        }

        public int previous() {
            return page - 1;
        }
    }

    // ------------------------------------------------------------------ composing

    /** Creates a draft, or (with {@code scheduledAt}) a scheduled issue; the caller has checked the role for scheduling. */
    public Created create(IssueRequest r, UUID actor) {
        if (r == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Instant now = clock.instant();
            NewsletterIssue i = new NewsletterIssue();
            i.id = Ids.uuid7(clock);
            i.moveTo(IssueStatus.DRAFT);
            i.createdBy = actor;
            i.createdAt = now;
            Instant at = apply(i, r, true);
            i.updatedAt = now;
            em.persist(i);
            if (at != null) {
                schedule(i, at);
            }
            em.flush();
            return new Created(i.id, i.status);
        });
    }

    /** Edits a draft, scheduled or blocked issue; fields left null keep their value. */
    public Created update(UUID id, IssueRequest r) {
        if (r == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = lock(id);
            if (!i.status.editable()) {
                throw ApiException.conflict("dispatch.not-editable", null);
            }
            Instant at = apply(i, r, false);
            i.updatedAt = clock.instant();
            if (at != null || i.status != IssueStatus.DRAFT) {
                schedule(i, at != null ? at : i.scheduledAt);
            }
            return new Created(i.id, i.status);
        });
    }

    /** A new draft with the same list, title, message and parameters. */
    public Created duplicate(UUID id, UUID actor) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue src = find(id);
            NewsletterIssue i = new NewsletterIssue();
            i.id = Ids.uuid7(clock);
            i.listId = src.listId;
            i.title = src.title;
            i.templateName = src.templateName;
            i.templateLanguage = src.templateLanguage;
            i.templateParameters = src.templateParameters;
            i.textBody = src.textBody;
            i.moveTo(IssueStatus.DRAFT);
            i.createdBy = actor;
            i.createdAt = clock.instant();
            i.updatedAt = i.createdAt;
            em.persist(i);
            return new Created(i.id, i.status);
        });
    }

    /** Validates the request and copies it into the issue; returns the requested schedule time, if any. */
    private Instant apply(NewsletterIssue i, IssueRequest r, boolean creating) {
        Validation v = new Validation();
        ListView list = null;
        if (creating || r.list() != null) {
            list = r.list() == null || r.list().isBlank() ? null : lists.bySlug(r.list().trim()).orElse(null);
            v.check(list != null, "list", "dispatch.list-unknown");
        } else {
            list = lists.byId(i.listId).orElse(null);
        }
        String title = r.title() == null && !creating ? i.title : r.title();
        v.text("title", title).text("text", r.text());
        if (r.template() != null && r.template().parameters() != null) {
            r.template().parameters().forEach(p -> v.text("template.parameters", p));
        }
        v.check(title != null && !title.isBlank(), "title", "dispatch.title-required");
        v.check(title == null || title.trim().length() <= MAX_TITLE, "title", "dispatch.title-too-long");
        TemplateRef template = r.template();
        String text = r.text();
        boolean messageGiven = template != null || text != null;
        if (!creating && !messageGiven) {
            template = i.freeText() ? null : new TemplateRef(i.templateName, i.templateLanguage, parameters(i));
            text = i.textBody;
        }
        List<String> params = List.of();
        TemplateView tv = null;
        if (template == null && (text == null || text.isBlank())) {
            v.check(false, "template", "dispatch.template-required");
        } else if (template != null) {
            params = template.parameters() == null ? List.of() : template.parameters();
            tv = template.name() == null ? null : findTemplate(template.name(), template.language()).orElse(null);
            v.check(tv != null, "template", "dispatch.template-unknown");
            v.check(tv == null || tv.usable(), "template", "dispatch.template-not-approved");
            v.check(tv == null || params.size() == tv.parameterCount(), "template.parameters",
                    "dispatch.parameters-count");
            v.check(params.stream().allMatch(p -> p != null && !p.isBlank() && p.length() <= MAX_PARAMETER),
                    "template.parameters", "dispatch.parameter-invalid");
            v.check(tv == null || list == null || categoryFits(tv.category(), list.purpose()), "template",
                    "dispatch.template-category");
        } else {
            v.check(WhatsAppChannel.SANDBOX.equals(channelSettings.view().type()), "text", "dispatch.text-sandbox-only");
            v.check(text.length() <= MAX_TEXT, "text", "dispatch.text-too-long");
        }
        Instant at = null;
        if (r.scheduledAt() != null && !r.scheduledAt().isBlank()) {
            try {
                at = Dates.instant(r.scheduledAt());
                v.check(!at.isBefore(clock.instant()), "scheduledAt", "dispatch.scheduled-in-past");
            } catch (DateTimeParseException e) {
                v.check(false, "scheduledAt", "dispatch.scheduled-at-invalid");
            }
        }
        v.throwIfInvalid();
        i.listId = list.id();
        i.title = title.trim();
        if (tv != null) {
            i.templateName = tv.name();
            i.templateLanguage = tv.language();
            i.templateParameters = write(params);
            i.textBody = null;
        } else {
            i.templateName = null;
            i.templateLanguage = null;
            i.templateParameters = "[]";
            i.textBody = text;
        }
        return at;
    }

    static boolean categoryFits(String category, ListPurpose purpose) {
        if (purpose == ListPurpose.UTILITY) {
            return "UTILITY".equalsIgnoreCase(category);
        }
        return category != null;
    }

    Optional<TemplateView> findTemplate(String name, String language) {
        return templates.views().stream().filter(t -> t.name().equals(name) && t.language().equals(language))
                .findFirst();
    }

    // ------------------------------------------------------------------ the status machine

    /** Schedules (or reschedules) an issue for {@code at}; the preflight runs now, for that time. */
    public Created schedule(UUID id, String scheduledAt) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = lock(id);
            if (!i.status.editable()) {
                throw ApiException.conflict("dispatch.not-schedulable", null);
            }
            Instant at = null;
            Validation v = new Validation();
            try {
                at = scheduledAt == null ? null : Dates.instant(scheduledAt);
                v.check(at != null, "scheduledAt", "dispatch.scheduled-at-invalid");
                v.check(at == null || !at.isBefore(clock.instant()), "scheduledAt", "dispatch.scheduled-in-past");
            } catch (DateTimeParseException e) {
                v.check(false, "scheduledAt", "dispatch.scheduled-at-invalid");
            }
            v.throwIfInvalid();
            schedule(i, at);
            return new Created(i.id, i.status);
        });
    }

    private void schedule(NewsletterIssue i, Instant at) {
        i.scheduledAt = at;
        i.updatedAt = clock.instant();
        String problem = preflight(i, at);
        if (problem == null) {
            i.moveTo(IssueStatus.SCHEDULED);
            i.blockedReason = null;
            job(i, JobKind.START, at);
        } else {
            i.moveTo(IssueStatus.BLOCKED);
            i.blockedReason = problem;
            job(i, JobKind.START, recheckAt());
        }
    }

    /** Sends now: preflight, then the deliveries are created and the engine takes over. */
    public Created sendNow(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = lock(id);
            if (!i.status.editable()) {
                throw ApiException.conflict("dispatch.not-sendable", null);
            }
            i.scheduledAt = clock.instant();
            String problem = preflight(i, i.scheduledAt);
            if (problem != null) {
                i.moveTo(IssueStatus.BLOCKED);
                i.blockedReason = problem;
                i.updatedAt = clock.instant();
                job(i, JobKind.START, recheckAt());
            } else {
                start(i);
            }
            return new Created(i.id, i.status);
        });
    }

    public Created pause(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = lock(id);
            if (i.status != IssueStatus.SENDING && i.status != IssueStatus.SCHEDULED && i.status != IssueStatus.BLOCKED
                    && !(i.status == IssueStatus.PAUSED && i.pausedBySystem)) {
                throw ApiException.conflict("dispatch.not-pausable", null);
            }
            pauseIssue(i, "dispatch.paused-by-user", false);
            return new Created(i.id, i.status);
        });
    }

    public Created resume(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = lock(id);
            if (i.status != IssueStatus.PAUSED) {
                throw ApiException.conflict("dispatch.not-resumable", null);
            }
            i.pausedReason = null;
            i.pausedBySystem = false;
            i.updatedAt = clock.instant();
            i.moveTo(i.startedAt != null ? IssueStatus.SENDING : IssueStatus.SCHEDULED);
            if (i.startedAt == null && i.scheduledAt != null && i.scheduledAt.isAfter(clock.instant())) {
                schedule(i, i.scheduledAt);
            } else {
                advance(i);
            }
            return new Created(i.id, i.status);
        });
    }

    public Created cancel(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = lock(id);
            if (i.status.finished()) {
                throw ApiException.conflict("dispatch.not-cancellable", null);
            }
            Instant now = clock.instant();
            i.moveTo(IssueStatus.CANCELLED);
            i.finishedAt = i.startedAt == null ? null : now;
            i.updatedAt = now;
            // Rows not yet handed to the channel will not be sent; rows in flight finish by their worker.
            em.createQuery("update IssueDelivery d set d.state = :excluded, d.reason = 'cancelled', d.claimedBy = null,"
                    + " d.leaseUntil = null, d.updatedAt = :now where d.issueId = :id and d.state in (:open)")
                    .setParameter("excluded", DeliveryState.EXCLUDED).setParameter("now", now).setParameter("id", id)
                    .setParameter("open", List.of(DeliveryState.PENDING, DeliveryState.CLAIMED)).executeUpdate();
            if (inFlight(id) > 0) {
                // Keep the job so the re-check settles the rows in flight (their worker died, their outcome window ended).
                job(i, JobKind.RUN, now.plus(config.lease()));
            } else {
                deleteJob(i.id);
            }
            return new Created(i.id, i.status);
        });
    }

    void pauseIssue(NewsletterIssue i, String reason, boolean bySystem) {
        i.moveTo(IssueStatus.PAUSED);
        i.pausedReason = reason;
        i.pausedBySystem = bySystem;
        i.updatedAt = clock.instant();
        if (bySystem) {
            job(i, JobKind.START, recheckAt());
        } else if (inFlight(i.id) > 0) {
            // Keep the job so the re-check settles the rows in flight (their worker died, their outcome window ended).
            job(i, JobKind.RUN, recheckAt());
        } else {
            deleteJob(i.id);
        }
    }

    /** Rows handed to the channel whose outcome is not recorded yet (SENDING, AWAITING). */
    private long inFlight(UUID issueId) {
        return em.createQuery("select count(d) from IssueDelivery d where d.issueId = :id and d.state in (:inFlight)",
                Long.class).setParameter("id", issueId).setParameter("inFlight", DeliveryState.IN_FLIGHT)
                .getSingleResult();
    }

    /**
     * Moves a scheduled, blocked or system-paused issue on when its time has come: preflight, then
     * start (or continue) sending, or stay BLOCKED with the reason and be re-checked later.
     */
    void advance(NewsletterIssue i) {
        Instant now = clock.instant();
        if (i.status == IssueStatus.PAUSED && i.pausedBySystem && channelSettings.view().stopped()) {
            job(i, JobKind.START, recheckAt());
            return;
        }
        Instant at = i.scheduledAt == null || i.scheduledAt.isBefore(now) ? now : i.scheduledAt;
        String problem = preflight(i, at);
        i.updatedAt = now;
        if (problem != null) {
            if (i.status != IssueStatus.PAUSED) {
                i.moveTo(IssueStatus.BLOCKED);
                i.blockedReason = problem;
            }
            job(i, JobKind.START, recheckAt());
            return;
        }
        i.blockedReason = null;
        i.pausedReason = null;
        i.pausedBySystem = false;
        if (i.startedAt != null) {
            i.moveTo(IssueStatus.SENDING);
            job(i, JobKind.RUN, now);
        } else if (at.isAfter(now)) {
            i.moveTo(IssueStatus.SCHEDULED);
            job(i, JobKind.START, at);
        } else {
            start(i);
        }
    }

    /** Creates the delivery rows (one per member of the list, see {@link #materialise}) and hands the issue to the engine. */
    void start(NewsletterIssue i) {
        Instant now = clock.instant();
        int rows = materialise(i, now);
        i.audienceSize = rows;
        i.moveTo(IssueStatus.SENDING);
        i.startedAt = now;
        i.blockedReason = null;
        i.updatedAt = now;
        job(i, JobKind.RUN, now);
    }

    /**
     * Writes the issue's delivery rows in one {@code INSERT ... SELECT} from the audience's decisions
     * ({@link ConsentAudience#DECISIONS}): members who are not CONFIRMED now (or are erased or suppressed)
     * get their EXCLUDED row with the reason at once, the others a PENDING row for the gate. Rows are
     * written in subscriber order, so the unique index (issue, subscriber) is appended to rather than
     * written at random places (a third faster at 100,000 members, docs/PERFORMANCE.md). An issue starts
     * once (its status changes in the same transaction), so a second row for a member is an error, not a
     * case to skip. Returns the rows written.
     */
    private int materialise(NewsletterIssue i, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        // For this transaction only (set_config's third argument): the join and the sort stay in memory.
        em.createNativeQuery("SELECT set_config('work_mem', :mem, true)")
                .setParameter("mem", config.materialiseWorkMem()).getSingleResult();
        return em.createNativeQuery("INSERT INTO issue_deliveries (tenant_id, issue_id, subscriber_id, state,"
                + " reason, attempts, next_attempt_at, updated_at)"
                + " SELECT d.tenant_id, :issue, d.subscriber_id, CASE WHEN d.reason IS NULL THEN 'PENDING'"
                + " ELSE 'EXCLUDED' END, d.reason, 0, :now, :now FROM (" + ConsentAudience.DECISIONS + ") d"
                + " ORDER BY d.subscriber_id")
                .setParameter("issue", i.id).setParameter("now", at).setParameter("tenant", i.tenantId)
                .setParameter("list", i.listId)
                .setParameter("liveChannel", !channelSettings.sandbox())
                .executeUpdate();
    }

    /**
     * The checks before an issue may send at {@code at}: channel connected and not stopped, template
     * approved with the right category and parameter count (free text: sandbox only), the list has a
     * consent text, {@code at} inside the sending hours. Returns the reason code, or null when all pass.
     */
    String preflight(NewsletterIssue i, Instant at) {
        ChannelSettingsService.ChannelView channel = channelSettings.view();
        if (channel.stopped()) {
            return "dispatch.blocked-channel-stopped";
        }
        if (WhatsAppChannel.CLOUD_API.equals(channel.type()) && !channel.accessTokenSet()) {
            return "dispatch.blocked-channel-not-connected";
        }
        ListView list = lists.byId(i.listId).orElse(null);
        if (list == null) {
            return "dispatch.blocked-list-missing";
        }
        if (i.freeText()) {
            if (!WhatsAppChannel.SANDBOX.equals(channel.type())) {
                return "dispatch.blocked-text-needs-sandbox";
            }
        } else {
            TemplateView t = findTemplate(i.templateName, i.templateLanguage).orElse(null);
            if (t == null) {
                return "dispatch.blocked-template-missing";
            }
            if (!t.usable()) {
                return "dispatch.blocked-template-not-approved";
            }
            if (!categoryFits(t.category(), list.purpose())) {
                return "dispatch.blocked-template-category";
            }
            if (t.parameterCount() != parameters(i).size()) {
                return "dispatch.blocked-parameters";
            }
        }
        if (list.consentTextId() == null) {
            return "dispatch.blocked-no-consent-text";
        }
        if (at != null && !settings.view().insideSendingHours(at)) {
            return "dispatch.blocked-outside-hours";
        }
        return null;
    }

    private Instant recheckAt() {
        return clock.instant().plus(config.recheck());
    }

    /** Creates or moves the platform job of the issue (same transaction as the issue change). */
    void job(NewsletterIssue i, JobKind kind, Instant due) {
        DispatchJob j = em.find(DispatchJob.class, i.id);
        if (j == null) {
            j = new DispatchJob();
            j.issueId = i.id;
            j.tenantId = currentTenant.id();
            j.kind = kind;
            j.dueAt = due;
            em.persist(j);
        } else {
            j.kind = kind;
            j.dueAt = due;
            j.leaseUntil = null;
            j.leaseOwner = null;
        }
    }

    void deleteJob(UUID issueId) {
        em.createQuery("delete from DispatchJob where issueId = :id").setParameter("id", issueId).executeUpdate();
    }

    // ------------------------------------------------------------------ reading

    NewsletterIssue find(UUID id) {
        NewsletterIssue i = id == null ? null : em.find(NewsletterIssue.class, id);
        if (i == null) {
            throw ApiException.notFound("dispatch.issue-not-found");
        }
        return i;
    }

    NewsletterIssue lock(UUID id) {
        NewsletterIssue i = find(id);
        em.lock(i, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(i);
        return i;
    }

    public IssueView view(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> view(find(id), true));
    }

    /** All issues of the workspace, newest first (counts included). */
    public List<IssueView> all() {
        return QuarkusTransaction.joiningExisting().call(() -> em
                .createQuery("from NewsletterIssue order by createdAt desc", NewsletterIssue.class).setMaxResults(500)
                .getResultStream().map(i -> view(i, false)).toList());
    }

    /** Issues of one list, newest first: the list's archive. */
    public List<IssueView> ofList(UUID listId) {
        return QuarkusTransaction.joiningExisting().call(() -> em
                .createQuery("from NewsletterIssue where listId = :l order by createdAt desc", NewsletterIssue.class)
                .setParameter("l", listId).getResultStream().map(i -> view(i, false)).toList());
    }

    private IssueView view(NewsletterIssue i, boolean details) {
        ListView list = lists.byId(i.listId).orElse(null);
        Map<String, Long> byState = new LinkedHashMap<>();
        Map<String, Long> excluded = new LinkedHashMap<>();
        Map<String, Long> failed = new LinkedHashMap<>();
        long delivered = 0;
        long read = 0;
        if (i.startedAt != null) {
            for (Object[] r : em.createQuery("select d.state, d.reason, d.providerStatus, count(d) from IssueDelivery d"
                    + " where d.issueId = :id group by d.state, d.reason, d.providerStatus", Object[].class)
                    .setParameter("id", i.id).getResultList()) {
                DeliveryState st = (DeliveryState) r[0];
                String reason = (String) r[1];
                String ps = (String) r[2];
                long n = (Long) r[3];
                byState.merge(st.name(), n, Long::sum);
                if (st == DeliveryState.EXCLUDED) {
                    excluded.merge(reason == null ? "unknown" : reason, n, Long::sum);
                } else if (st == DeliveryState.FAILED) {
                    failed.merge(reason == null ? "unknown" : reason, n, Long::sum);
                }
                if ("delivered".equals(ps) || "read".equals(ps)) {
                    delivered += n;
                }
                if ("read".equals(ps)) {
                    read += n;
                }
            }
        }
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        long ex = byState.getOrDefault("EXCLUDED", 0L);
        long pending = byState.getOrDefault("PENDING", 0L) + byState.getOrDefault("CLAIMED", 0L)
                + byState.getOrDefault("SENDING", 0L);
        Counts counts = new Counts(total - ex, ex, byState.getOrDefault("SENT", 0L), delivered, read,
                byState.getOrDefault("FAILED", 0L), pending, byState.getOrDefault("AWAITING", 0L), total);
        String zoned = i.scheduledAt == null ? null
                : i.scheduledAt.atZone(settings.view().zone()).toOffsetDateTime().toString();
        TemplateRef template = i.freeText() ? null : new TemplateRef(i.templateName, i.templateLanguage, parameters(i));
        String preview = i.freeText() ? i.textBody : details ? preview(i) : null;
        Instant end = i.finishedAt != null ? i.finishedAt : clock.instant();
        Long duration = i.startedAt == null ? null : Math.max(0, end.getEpochSecond() - i.startedAt.getEpochSecond());
        return new IssueView(i.id, i.status, list == null ? null : list.slug(), list == null ? null : list.name(),
                i.title, template, i.textBody, preview, zoned, i.blockedReason,
                i.blockedReason == null ? null : io.consentcast.shared.Texts.english(i.blockedReason), i.pausedReason,
                i.pausedReason == null ? null : io.consentcast.shared.Texts.english(i.pausedReason), counts, excluded,
                failed, i.createdAt, i.startedAt, i.finishedAt, duration);
    }

    private String preview(NewsletterIssue i) {
        return findTemplate(i.templateName, i.templateLanguage).map(t -> TemplateBody.render(t.bodyText(), parameters(i)))
                .orElse(null);
    }

    public DeliveryPage deliveries(UUID id, String state, int page) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            find(id);
            DeliveryState st = null;
            if (state != null && !state.isBlank()) {
                try {
                    st = DeliveryState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(Map.of("state", "dispatch.state-invalid"));
                }
            }
            String where = " from IssueDelivery d where d.issueId = :id" + (st == null ? "" : " and d.state = :st");
            var count = em.createQuery("select count(d)" + where, Long.class).setParameter("id", id);
            var select = em.createQuery("select d" + where + " order by d.id", IssueDelivery.class)
                    .setParameter("id", id);
            if (st != null) {
                count.setParameter("st", st);
                select.setParameter("st", st);
            }
            int p = Math.max(page, 1);
            List<DeliveryView> items = select.setFirstResult(Paging.offset(p, PAGE_SIZE)).setMaxResults(PAGE_SIZE)
                    .getResultStream().map(d -> new DeliveryView(d.id, d.subscriberId, d.state, d.reason, d.detail,
                            d.consentEventId, d.providerMessageId, d.providerStatus, d.errorCode, d.attempts, d.sentAt,
                            d.deliveredAt, d.readAt))
                    .toList();
            return new DeliveryPage(items, count.getSingleResult(), p, PAGE_SIZE);
        });
    }

    List<String> parameters(NewsletterIssue i) {
        try {
            return List.of(json.readValue(i.templateParameters, String[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private String write(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
