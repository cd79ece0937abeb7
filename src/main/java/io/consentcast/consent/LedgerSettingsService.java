package io.consentcast.consent;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.scheduler.Scheduled;

/**
 * What a workspace records as evidence and how long: whether IP address and user agent are
 * stored, whether IP addresses are truncated, and after how many months the evidence (IP address,
 * user agent) of withdrawn consents is deleted. The ledger events themselves are never deleted.
 */
@ApplicationScoped
public class LedgerSettingsService {

    private static final Logger LOG = Logger.getLogger(LedgerSettingsService.class);

    public static final int DEFAULT_RETENTION_MONTHS = 36;

    @Inject
    io.consentcast.tenancy.TenancyService tenancy;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    ActivityLog activity;

    @Inject
    Clock clock;

    public record Settings(boolean recordClientData, boolean truncateIp, int retentionMonths) {
        public static final Settings DEFAULTS = new Settings(true, false, DEFAULT_RETENTION_MONTHS);
    }

    @Transactional
    public Settings current() {
        return entity().map(s -> new Settings(s.recordClientData, s.truncateIp, s.retentionMonths))
                .orElse(Settings.DEFAULTS);
    }

    @Transactional
    public Settings update(Boolean recordClientData, Boolean truncateIp, Integer retentionMonths, UUID actorUserId) {
        new Validation()
                .check(recordClientData != null, "recordClientData", "consent.settings-flag-required")
                .check(truncateIp != null, "truncateIp", "consent.settings-flag-required")
                .check(retentionMonths != null && retentionMonths >= 1 && retentionMonths <= 120,
                        "retentionMonths", "consent.retention-invalid")
                .throwIfInvalid();
        LedgerSettings s = entity().orElse(null);
        boolean created = s == null;
        if (created) {
            s = new LedgerSettings();
            s.id = Ids.uuid7(clock);
        }
        s.recordClientData = recordClientData;
        s.truncateIp = truncateIp;
        s.retentionMonths = retentionMonths;
        s.updatedAt = clock.instant();
        s.updatedBy = actorUserId;
        if (created) {
            em.persist(s);
        }
        Settings result = new Settings(recordClientData, truncateIp, retentionMonths);
        activity.record(actorUserId, ActivityKind.LEDGER_SETTINGS_CHANGED,
                ActivitySubject.of(ActivitySubject.Type.SETTINGS),
                new ActivityDetails.LedgerSettings(recordClientData, truncateIp, retentionMonths));
        return result;
    }

    /**
     * Deletes the evidence (IP addresses, user agents) of subscribers whose consent is withdrawn
     * for every list and has been for longer than the workspace's retention period; records it in
     * the activity log. Returns the number of evidence records deleted.
     */
    @Transactional
    public int purgeExpiredEvidence() {
        int months = current().retentionMonths();
        Instant cutoff = clock.instant().atOffset(ZoneOffset.UTC).minusMonths(months).toInstant();
        List<UUID> subscribers = em.createQuery("""
                select st.subscriberId from ConsentState st group by st.subscriberId
                having sum(case when st.consentState = :withdrawn then 0 else 1 end) = 0 and max(st.since) < :cutoff""",
                UUID.class)
                .setParameter("withdrawn", ConsentStatus.WITHDRAWN).setParameter("cutoff", cutoff).getResultList();
        if (subscribers.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        for (int i = 0; i < subscribers.size(); i += 500) {
            deleted += em.createQuery("delete from ConsentEvidence where subscriberId in :ids")
                    .setParameter("ids", subscribers.subList(i, Math.min(i + 500, subscribers.size()))).executeUpdate();
        }
        if (deleted > 0) {
            activity.record(null, ActivityKind.EVIDENCE_PURGED, ActivitySubject.of(ActivitySubject.Type.LEDGER),
                    new ActivityDetails.EvidencePurged(deleted, months));
        }
        return deleted;
    }

    /** Applies the retention period of every workspace (daily by default). */
    @Scheduled(every = "${consentcast.ledger.retention-every:24h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeAll() {
        List<String> tenants = tenantScope.platform(tenancy::allTenantIds);
        for (String tenantId : tenants) {
            try {
                tenantScope.call(tenantId, this::purgeExpiredEvidence);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not apply the evidence retention of workspace %s", tenantId);
            }
        }
    }

    private java.util.Optional<LedgerSettings> entity() {
        return em.createQuery("from LedgerSettings", LedgerSettings.class).getResultStream().findFirst();
    }
}
