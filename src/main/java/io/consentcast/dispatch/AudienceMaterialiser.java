package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.literal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.whatsapp.ChannelSettingsService;

/**
 * Writes an issue's delivery rows while it is PREPARING: one per member of its list, with the decision of that
 * moment, a chunk of members (a range of subscriber ids) at a time. The caller ({@link DispatchJobs#prepare}) holds
 * the issue's row lock and moves the issue's cursor in the same transaction, so a chunk is written once or not at
 * all.
 */
@ApplicationScoped
public class AudienceMaterialiser {

    @Inject
    EntityManager em;

    @Inject
    ConsentAudience audience;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    DispatchConfig config;

    /** What one chunk wrote: rows, of which EXCLUDED; {@code through} is the chunk's last id (null: it was the last). */
    record Chunk(int rows, int excluded, UUID through) {

        boolean last() {
            return through == null;
        }
    }

    /** The list's members now: the whole of the preparation's progress. */
    int members(NewsletterIssue i) {
        return (int) Math.min(Integer.MAX_VALUE, audience.members(i.listId));
    }

    /**
     * Writes the rows of the next {@code size} members after the issue's cursor in one {@code INSERT ... SELECT}
     * from the audience's decisions for that range of subscriber ids ({@link ConsentAudience#decisionsInRange}):
     * members who are not CONFIRMED now (or are erased or suppressed) get their EXCLUDED row with the reason at
     * once, the others a PENDING row for the gate (which the engine may send at once). Rows are written in
     * subscriber order, so the unique index (issue, subscriber) is appended to. A member has one row per issue
     * (that unique index); the cursor, moved in the same transaction, keeps a chunk from being written twice.
     */
    Chunk materialiseChunk(NewsletterIssue i, int size, Instant now) {
        UUID after = i.audienceAfter;
        UUID through = audience.chunkEnd(i.listId, after, size);
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        // For this transaction only (set_config's third argument): the join and the sort stay in memory.
        em.createNativeQuery("SELECT set_config('work_mem', :mem, true)")
                .setParameter("mem", config.materialiseWorkMem()).getSingleResult();
        var insert = em.createNativeQuery("WITH written AS (INSERT INTO issue_deliveries (tenant_id, issue_id,"
                + " subscriber_id, state, reason, attempts, next_attempt_at, updated_at)"
                + " SELECT d.tenant_id, :issue, d.subscriber_id, CASE WHEN d.reason IS NULL THEN "
                + literal(DeliveryState.PENDING) + " ELSE " + literal(DeliveryState.EXCLUDED) + " END, d.reason, 0,"
                + " :now, :now FROM (" + ConsentAudience.decisionsInRange(after != null, through != null) + ") d"
                + " ORDER BY d.subscriber_id RETURNING state)"
                + " SELECT COUNT(*), COUNT(*) FILTER (WHERE state = " + literal(DeliveryState.EXCLUDED) + ") FROM written")
                .setParameter("issue", i.id).setParameter("now", at).setParameter("tenant", i.tenantId)
                .setParameter("list", i.listId).setParameter("liveChannel", !channelSettings.sandbox());
        if (after != null) {
            insert.setParameter("after", after);
        }
        if (through != null) {
            insert.setParameter("through", through);
        }
        Object[] counts = (Object[]) insert.getSingleResult();
        return new Chunk(((Number) counts[0]).intValue(), ((Number) counts[1]).intValue(), through);
    }
}
