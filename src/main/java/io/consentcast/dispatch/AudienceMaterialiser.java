package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.literal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.whatsapp.ChannelSettingsService;

/** Writes an issue's delivery rows when it starts: one per member of its list, with the decision of that moment. */
@ApplicationScoped
public class AudienceMaterialiser {

    @Inject
    EntityManager em;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    DispatchConfig config;

    /**
     * Writes the issue's delivery rows in one {@code INSERT ... SELECT} from the audience's decisions
     * ({@link ConsentAudience#DECISIONS}): members who are not CONFIRMED now (or are erased or suppressed)
     * get their EXCLUDED row with the reason at once, the others a PENDING row for the gate. Rows are
     * written in subscriber order, so the unique index (issue, subscriber) is appended to rather than
     * written at random places (a third faster at 100,000 members, docs/PERFORMANCE.md). An issue starts
     * once (its status changes in the same transaction), so a second row for a member is an error, not a
     * case to skip. Returns the rows written.
     */
    int materialise(NewsletterIssue i, Instant now) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        // For this transaction only (set_config's third argument): the join and the sort stay in memory.
        em.createNativeQuery("SELECT set_config('work_mem', :mem, true)")
                .setParameter("mem", config.materialiseWorkMem()).getSingleResult();
        return em.createNativeQuery("INSERT INTO issue_deliveries (tenant_id, issue_id, subscriber_id, state,"
                + " reason, attempts, next_attempt_at, updated_at)"
                + " SELECT d.tenant_id, :issue, d.subscriber_id, CASE WHEN d.reason IS NULL THEN "
                + literal(DeliveryState.PENDING) + " ELSE " + literal(DeliveryState.EXCLUDED) + " END, d.reason, 0, :now, :now FROM (" + ConsentAudience.DECISIONS + ") d"
                + " ORDER BY d.subscriber_id")
                .setParameter("issue", i.id).setParameter("now", at).setParameter("tenant", i.tenantId)
                .setParameter("list", i.listId)
                .setParameter("liveChannel", !channelSettings.sandbox())
                .executeUpdate();
    }
}
