package io.consentcast.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.whatsapp.TemplateLayout;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Newsletter issues of the current workspace, as the resources ({@link IssueApi}, {@link IssuePages}) use them:
 * the requests and views, and each operation handed to the class whose job it is: composing
 * ({@link IssueComposer}), the life of an issue ({@link IssueLifecycle}: schedule, send, pause, resume, cancel;
 * the preflight in {@link Preflight}, the audience in {@link AudienceMaterialiser}) and reading
 * ({@link IssueQueries}). Each change a member makes is recorded in the activity log here, in the change's own
 * transaction, so the API and the pages record it alike. See docs/DISPATCH.md.
 */
@ApplicationScoped
public class IssueService {

    @Inject
    IssueComposer composer;

    @Inject
    IssueLifecycle lifecycle;

    @Inject
    IssueQueries queries;

    @Inject
    IssueStore store;

    @Inject
    ActivityLog activity;

    @Inject
    HeaderMedia headerMedia;

    /**
     * The template of an issue and what fills it: {@code parameters} the body's (in placeholder order, named or
     * positional), {@code header} a media header's https link or a TEXT header's value (null: none), {@code buttons}
     * one value per dynamic URL button in order: the article's https URL for a button that leads through the
     * click-counting redirect, the URL suffix itself otherwise.
     */
    public record TemplateRef(String name, String language, List<String> parameters, String header,
            List<String> buttons) {

        public TemplateRef(String name, String language, List<String> parameters) {
            this(name, language, parameters, null, null);
        }
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

    /**
     * The preparation of a started issue's audience: {@code decided} of the list's {@code members} have their
     * delivery row, {@code eligible} of them PENDING for the gate and {@code excluded} EXCLUDED with their reason at
     * once; {@code done} once every member is decided, or the issue was cancelled during the preparation (then
     * {@code decided} stays below {@code members}: members not decided at the cancel have no row). {@code members} is counted when the preparation begins (a
     * member who joins meanwhile may still be included, so it is never shown below {@code decided}).
     */
    public record Preparation(long members, long decided, long eligible, long excluded, boolean done) {
    }

    /**
     * {@code clicks}: taps on the issue's counted link buttons (anonymous, {@link IssueLinks}); {@code message}: the
     * template as WhatsApp shows it (details only, else null).
     */
    public record IssueView(UUID id, IssueStatus status, String list, String listName, String title,
            TemplateRef template, String text, String preview, String scheduledAt, String blockedReason,
            String blockedMessage, String pausedReason, String pausedMessage, Counts counts,
            Map<String, Long> excludedByReason, Map<String, Long> failedByReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, Long durationSeconds, Preparation preparation,
            IssueOutlook.Outlook outlook, long clicks, TemplateLayout.Rendered message,
            HeaderMedia.HeaderFile headerFile) {
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

    /** Creates a draft, or (with {@code scheduledAt}) a scheduled issue; the caller has checked the role for scheduling. */
    public Created create(IssueRequest r, UUID actor) {
        return logged(ActivityKind.ISSUE_CREATED, () -> composer.create(r, actor));
    }

    /**
     * Creates a draft with its header file (the compose page's upload) in one transaction: a refused file leaves
     * no issue behind. {@code file} null: as {@link #create(IssueRequest, UUID)}.
     */
    public Created create(IssueRequest r, UUID actor, HeaderMedia.Upload file, String field) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Created c = create(r, actor);
            if (file != null) {
                headerMedia.attach(c.id(), file, field);
            }
            return c;
        });
    }

    /** Edits an issue and attaches a new header file (the edit page's upload) in one transaction. */
    public Created update(UUID id, IssueRequest r, HeaderMedia.Upload file, String field) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Created c = update(id, r);
            if (file != null) {
                headerMedia.attach(id, file, field);
            }
            return c;
        });
    }

    /** Edits a draft, scheduled or blocked issue; fields left null keep their value. */
    public Created update(UUID id, IssueRequest r) {
        return logged(ActivityKind.ISSUE_EDITED, () -> composer.update(id, r));
    }

    /** A new draft with the same list, title, message and parameters. */
    public Created duplicate(UUID id, UUID actor) {
        return logged(ActivityKind.ISSUE_DUPLICATED, () -> composer.duplicate(id, actor));
    }

    /** Schedules (or reschedules) an issue for {@code scheduledAt}; the preflight runs now, for that time. */
    public Created schedule(UUID id, String scheduledAt) {
        headerMedia.prepare(id); // the header file goes to Meta first, with no transaction open
        return logged(ActivityKind.ISSUE_SCHEDULED, () -> lifecycle.schedule(id, scheduledAt));
    }

    /** Sends now: preflight, then the issue is PREPARING and the engine decides its audience and sends. */
    public Created sendNow(UUID id) {
        headerMedia.prepare(id); // the header file goes to Meta first, with no transaction open
        return logged(ActivityKind.ISSUE_SENT, () -> lifecycle.sendNow(id));
    }

    public Created pause(UUID id) {
        return logged(ActivityKind.ISSUE_PAUSED, () -> lifecycle.pause(id));
    }

    public Created resume(UUID id) {
        headerMedia.prepare(id);
        return logged(ActivityKind.ISSUE_RESUMED, () -> lifecycle.resume(id));
    }

    public Created cancel(UUID id) {
        return logged(ActivityKind.ISSUE_CANCELLED, () -> lifecycle.cancel(id));
    }

    public IssueView view(UUID id) {
        return queries.view(id);
    }

    /** All issues of the workspace, newest first (counts included). */
    public List<IssueView> all() {
        return queries.all();
    }

    /** Issues of one list, newest first: the list's archive. */
    public List<IssueView> ofList(UUID listId) {
        return queries.ofList(listId);
    }

    public DeliveryPage deliveries(UUID id, String state, int page) {
        return queries.deliveries(id, state, page);
    }

    /** Runs a member's change and records it about the issue it made or changed, in one transaction. */
    private Created logged(ActivityKind kind, Supplier<Created> change) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Created c = change.get();
            NewsletterIssue i = store.find(c.id());
            ActivityDetails details = kind == ActivityKind.ISSUE_SCHEDULED
                    ? new ActivityDetails.IssueScheduled(i.title, i.scheduledAt)
                    : new ActivityDetails.Named(i.title);
            activity.record(kind, ActivitySubject.issue(i.id), details);
            return c;
        });
    }
}
