package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The quality guard of a workspace's numbers: records every quality observation (webhooks and Graph reads) with
 * its time, and answers "may marketing be sent on this number now?". A RED rating, or a FLAGGED or RESTRICTED
 * number, pauses marketing with that reason and fires {@link MarketingGuardChanged}. The pause outlives the
 * cause: marketing resumes only when an admin acknowledges it ({@link #acknowledge}), and only once the cause is
 * gone. Utility and authentication templates are not affected by this guard.
 */
@ApplicationScoped
public class MarketingGuard {

    private static final Logger LOG = Logger.getLogger(MarketingGuard.class);

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    Clock clock;

    @Inject
    Event<MarketingGuardChanged> changes;

    @Inject
    ActivityLog activity;

    /** Why marketing is paused on a number. */
    public enum PauseReason {
        /** Meta rates the number's quality RED. */
        QUALITY_RED,
        /** The number is FLAGGED (status, or a FLAGGED quality webhook not yet followed by UNFLAGGED). */
        NUMBER_FLAGGED,
        /** The number's status is RESTRICTED. */
        NUMBER_RESTRICTED
    }

    /** Where a quality observation came from. */
    public enum Source {
        WEBHOOK, GRAPH, SANDBOX
    }

    /** One observation of a number's quality; null fields were not part of it. */
    record Observation(String phoneNumberId, Source source, String event, String qualityRating, String numberStatus,
            String limitTier, Instant occurredAt) {
    }

    /**
     * The answer for one number. {@code allowed} false names the {@code reason} and since when;
     * {@code causeGone} true means only an admin's acknowledgement is missing.
     */
    public record MarketingDecision(String phoneNumberId, boolean allowed, PauseReason reason, Instant pausedSince,
            boolean causeGone) {
    }

    /** What the channel page and API show. */
    public record QualityView(String phoneNumberId, String qualityRating, String numberStatus, boolean flagged,
            String lastEvent, Instant updatedAt, MarketingDecision marketing, String acknowledgedBy,
            Instant acknowledgedAt, List<QualityEvent> history) {
    }

    /** A recorded observation. */
    public record QualityEvent(Source source, String event, String qualityRating, String numberStatus,
            String limitTier, Instant occurredAt) {
    }

    /** May marketing templates be sent on the current workspace's number now? */
    public MarketingDecision marketing() {
        return marketing(currentNumber());
    }

    /** May marketing templates be sent on {@code phoneNumberId} (a number of the current workspace) now? */
    public MarketingDecision marketing(String phoneNumberId) {
        return QuarkusTransaction.joiningExisting().call(() -> decide(phoneNumberId, find(phoneNumberId).orElse(null)));
    }

    /** The current workspace's number: its quality, the marketing decision and the last observations. */
    public QualityView view() {
        String number = currentNumber();
        return QuarkusTransaction.joiningExisting().call(() -> {
            NumberQuality q = find(number).orElse(null);
            boolean sandbox = number.startsWith(WebhookProcessor.SANDBOX_PHONE_PREFIX);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select source, event, quality_rating, number_status, limit_tier,"
                    + " occurred_at from whatsapp_quality_events where phone_number_id = ?1"
                    + " order by occurred_at desc, recorded_at desc limit 20").setParameter(1, number).getResultList();
            List<QualityEvent> history = rows.stream().map(r -> new QualityEvent(Source.valueOf((String) r[0]),
                    (String) r[1], (String) r[2], (String) r[3], (String) r[4], instant(r[5]))).toList();
            // The sandbox number has no Graph read: it plays a GREEN, connected number (its reports flag it).
            return new QualityView(number, q != null && q.qualityRating != null ? q.qualityRating
                    : sandbox ? "GREEN" : null, q != null && q.numberStatus != null ? q.numberStatus
                    : sandbox ? "CONNECTED" : null, q != null && q.flagged,
                    q == null ? null : q.lastEvent, q == null ? null : q.updatedAt, decide(number, q),
                    q == null ? null : q.acknowledgedBy, q == null ? null : q.acknowledgedAt, history);
        });
    }

    /**
     * An admin resumes marketing on the current workspace's number: recorded with who and when. Refused (409) while
     * the cause is still there; a number that is not paused is answered as it is.
     */
    public MarketingDecision acknowledge(String actor) {
        return acknowledge(currentNumber(), actor);
    }

    /**
     * An admin resumes marketing on {@code number}, one of the current workspace's numbers (the caller checked that
     * it is): recorded with who and when, only for that number. Refused (409) while the cause is still there.
     */
    public MarketingDecision acknowledge(String number, String actor) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NumberQuality q = find(number).orElse(null);
            if (q == null || q.pausedAt == null) {
                return decide(number, q);
            }
            em.lock(q, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            PauseReason cause = cause(q);
            if (cause != null) {
                throw ApiException.conflict("whatsapp.quality-still-bad", Map.of());
            }
            q.pausedAt = null;
            q.pauseReason = null;
            q.acknowledgedBy = actor;
            q.acknowledgedAt = clock.instant();
            LOG.infof("Marketing on number %s of workspace %s resumed by %s", number, q.tenantId, actor);
            activity.record(ActivityKind.CHANNEL_MARKETING_RESUMED, ActivitySubject.of(ActivitySubject.Type.CHANNEL, number),
                    new ActivityDetails.ChannelNumber(displayNumber(number), number));
            changes.fire(new MarketingGuardChanged(q.tenantId, number, true, null, q.acknowledgedAt));
            return decide(number, q);
        });
    }

    /** The number as people read it, when the workspace keeps it (the activity log names it so). */
    private String displayNumber(String number) {
        List<?> shown = em.createNativeQuery("select display_phone_number from whatsapp_numbers where phone_number_id = ?1")
                .setParameter(1, number).getResultList();
        return shown.isEmpty() ? null : (String) shown.get(0);
    }

    /**
     * Records an observation of a number of the current workspace (joining the caller's transaction, or in its own)
     * and pauses marketing when it reveals a bad quality.
     */
    void observe(Observation o) {
        QuarkusTransaction.joiningExisting().run(() -> {
            Instant now = clock.instant();
            em.createNativeQuery("insert into whatsapp_quality_events (id, tenant_id, phone_number_id, source, event,"
                    + " quality_rating, number_status, limit_tier, occurred_at, recorded_at)"
                    + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)").setParameter(1, Ids.uuid7(clock))
                    .setParameter(2, currentTenant.id()).setParameter(3, o.phoneNumberId())
                    .setParameter(4, o.source().name()).setParameter(5, o.event()).setParameter(6, o.qualityRating())
                    .setParameter(7, o.numberStatus()).setParameter(8, o.limitTier())
                    .setParameter(9, SqlValues.ts(o.occurredAt())).setParameter(10, SqlValues.ts(now)).executeUpdate();
            NumberQuality q = find(o.phoneNumberId()).orElse(null);
            if (q == null) {
                em.createNativeQuery("insert into whatsapp_number_quality (id, tenant_id, phone_number_id, flagged,"
                        + " updated_at) values (?1, ?2, ?3, false, ?4) on conflict do nothing")
                        .setParameter(1, Ids.uuid7(clock)).setParameter(2, currentTenant.id())
                        .setParameter(3, o.phoneNumberId()).setParameter(4, SqlValues.ts(now)).executeUpdate();
                q = find(o.phoneNumberId()).orElseThrow();
            }
            em.lock(q, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            em.refresh(q);
            // A webhook Meta delivers late (its retries) must not undo a newer webhook: kept in the history only.
            // Graph reads are the state at the time of reading and always apply; a webhook after a Graph read too
            // (Meta's webhook times are whole seconds, a read in the same second must not hide it).
            boolean lastWasWebhook = q.lastEvent != null && !q.lastEvent.equals(Source.GRAPH.name());
            if (o.source() != Source.GRAPH && lastWasWebhook && o.occurredAt().isBefore(q.updatedAt)) {
                return;
            }
            if (o.qualityRating() != null) {
                q.qualityRating = o.qualityRating();
            }
            if (o.numberStatus() != null) {
                q.numberStatus = o.numberStatus();
            }
            if ("FLAGGED".equals(o.event())) {
                q.flagged = true;
            } else if ("UNFLAGGED".equals(o.event())) {
                q.flagged = false;
            }
            q.lastEvent = o.event() != null ? o.event() : o.source().name();
            q.updatedAt = o.occurredAt();
            PauseReason cause = cause(q);
            if (cause != null && q.pausedAt == null) {
                q.pausedAt = now;
                q.pauseReason = cause;
                q.acknowledgedBy = null;
                q.acknowledgedAt = null;
                LOG.warnf("Marketing on number %s of workspace %s paused: %s", o.phoneNumberId(), q.tenantId, cause);
                changes.fire(new MarketingGuardChanged(q.tenantId, o.phoneNumberId(), false, cause, now));
            }
        });
    }

    private MarketingDecision decide(String phoneNumberId, NumberQuality q) {
        if (q == null || q.pausedAt == null) {
            return new MarketingDecision(phoneNumberId, true, null, null, false);
        }
        return new MarketingDecision(phoneNumberId, false, q.pauseReason, q.pausedAt, cause(q) == null);
    }

    /** What is bad about the number now, or null. */
    static PauseReason cause(NumberQuality q) {
        if ("RED".equals(q.qualityRating)) {
            return PauseReason.QUALITY_RED;
        }
        if ("RESTRICTED".equals(q.numberStatus)) {
            return PauseReason.NUMBER_RESTRICTED;
        }
        if ("FLAGGED".equals(q.numberStatus) || q.flagged) {
            return PauseReason.NUMBER_FLAGGED;
        }
        return null;
    }

    private Optional<NumberQuality> find(String phoneNumberId) {
        return em.createQuery("from NumberQuality where phoneNumberId = :p", NumberQuality.class)
                .setParameter("p", phoneNumberId).getResultStream().findFirst();
    }

    /** The current workspace's number: its Cloud API phone number id, or the sandbox's. */
    private String currentNumber() {
        // Only a Cloud API channel has a phone number id; the sandbox's number is named after the workspace.
        String phoneNumberId = channelSettings.view().phoneNumberId();
        return phoneNumberId != null ? phoneNumberId : WebhookProcessor.SANDBOX_PHONE_PREFIX + currentTenant.id();
    }

    private static Instant instant(Object o) {
        return o instanceof Instant i ? i : o instanceof java.time.OffsetDateTime t ? t.toInstant()
                : ((java.sql.Timestamp) o).toInstant();
    }
}
