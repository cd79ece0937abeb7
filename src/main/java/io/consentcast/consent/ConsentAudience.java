package io.consentcast.consent;

import static io.consentcast.shared.SqlValues.literal;
import static io.consentcast.shared.SqlValues.uuid;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Set-based reads of the consent projection for sending: the decision for every member of a list
 * ({@link #DECISIONS}, which dispatch selects from when it materialises an issue), and the read of a
 * slice of recipients the consent gate makes immediately before the sends. Both run in (or join) a
 * transaction of the current workspace.
 */
@ApplicationScoped
public class ConsentAudience {

    /** Event sources that are the subscriber's own doing: they count as interaction for consent expiry. */
    static final String INTERACTION_SOURCES = "(" + literal(EventSource.WHATSAPP, EventSource.LANDING_PAGE,
            EventSource.SANDBOX) + ")";

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    /**
     * The decision for one reader immediately before a send: {@code reason} null means send, justified by
     * {@code consentEventId}, to {@code phone} (E.164); otherwise the {@link EligibilityRule} reason.
     */
    public record Eligibility(UUID subscriberId, String reason, UUID consentEventId, String phone) {
    }

    /** The consent facts {@link EligibilityRule} reads, as the row {@code r}, of every member of a list. */
    private static final String MEMBER_FACTS = "SELECT cs.tenant_id, cs.subscriber_id, s.erased_at IS NOT NULL AS erased,"
            + " cs.state, cs.suppressed, cs.last_event_id, cs.sandbox_confirmed"
            + " FROM consent_states cs JOIN subscribers s ON s.tenant_id = cs.tenant_id AND s.id = cs.subscriber_id";

    /**
     * The audience of a list as one SQL query, for a feature that records a decision per member in its own
     * table (dispatch materialises an issue's delivery rows with {@code INSERT ... SELECT}): one row
     * {@code (tenant_id, subscriber_id, reason)} per member of the list (every subscriber with a state for
     * the list, whatever it is) plus the subscribers CONFIRMED by an "all lists" state without a row for
     * the list; {@code reason} is NULL for those who pass the rules asked at the start
     * ({@link EligibilityRule#atStart}; {@link #eligibility} asks every rule again immediately before the send)
     * and the first failing rule's reason for the others. Named parameters: {@code :tenant}, {@code :list},
     * {@code :liveChannel} (true when the workspace sends through the Cloud API rather than the sandbox).
     * Consent keeps its tables and its rules; the caller only selects from the result.
     */
    public static final String DECISIONS = decisions("");

    /**
     * {@link #DECISIONS} for the members in a range of subscriber ids, so that a large audience is decided in
     * chunks: {@code after} adds the parameter {@code :after} (ids greater than it), {@code through} the parameter
     * {@code :through} (ids up to and including it). The range is asked of the states and of the subscribers, so
     * that PostgreSQL reads only the chunk's range of both through their keys (index range scans joined by hash;
     * a plan checked on 300,000 members) instead of the whole workspace.
     */
    public static String decisionsInRange(boolean after, boolean through) {
        String range = (after ? " AND cs.subscriber_id > :after AND s.id > :after" : "")
                + (through ? " AND cs.subscriber_id <= :through AND s.id <= :through" : "");
        return decisions(range);
    }

    private static String decisions(String range) {
        return "SELECT r.tenant_id, r.subscriber_id, " + EligibilityRule.decision(true)
                + " AS reason FROM (" + MEMBER_FACTS + " WHERE cs.tenant_id = :tenant AND cs.list_id = :list" + range
                + " UNION ALL " + MEMBER_FACTS
                + " WHERE cs.tenant_id = :tenant AND cs.list_id IS NULL AND cs.state = "
                + literal(ConsentStatus.CONFIRMED) + range
                + " AND NOT EXISTS (SELECT 1 FROM consent_states o WHERE o.tenant_id = cs.tenant_id"
                + " AND o.subscriber_id = cs.subscriber_id AND o.list_id = :list)) r";
    }

    /** How many members the list's audience has now (the rows {@link #DECISIONS} would return), counted by the key. */
    public long members(UUID listId) {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(
                "SELECT (SELECT COUNT(*) FROM consent_states cs WHERE cs.tenant_id = :tenant AND cs.list_id = :list)"
                        + " + (SELECT COUNT(*) FROM consent_states cs WHERE cs.tenant_id = :tenant AND cs.list_id IS NULL"
                        + " AND cs.state = " + literal(ConsentStatus.CONFIRMED) + " AND NOT EXISTS (SELECT 1 FROM"
                        + " consent_states o WHERE o.tenant_id = cs.tenant_id AND o.subscriber_id = cs.subscriber_id"
                        + " AND o.list_id = :list))")
                .setParameter("tenant", currentTenant.id()).setParameter("list", listId).getSingleResult()).longValue());
    }

    /**
     * The end of the next chunk of a list's audience: the subscriber id of the {@code size}-th member with a state
     * for the list after {@code after} (null: from the first), in id order; null when fewer are left (the chunk
     * runs to the end). Members through an "all lists" state fall into whichever chunk's range holds their id.
     */
    public UUID chunkEnd(UUID listId, UUID after, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            var q = em.createNativeQuery("SELECT cs.subscriber_id FROM consent_states cs WHERE cs.tenant_id = :tenant"
                    + " AND cs.list_id = :list" + (after == null ? "" : " AND cs.subscriber_id > :after")
                    + " ORDER BY cs.subscriber_id OFFSET :skip LIMIT 1")
                    .setParameter("tenant", currentTenant.id()).setParameter("list", listId)
                    .setParameter("skip", Math.max(0, size - 1));
            if (after != null) {
                q.setParameter("after", after);
            }
            @SuppressWarnings("unchecked")
            List<Object> rows = q.getResultList();
            return rows.isEmpty() ? null : uuid(rows.get(0));
        });
    }

    /**
     * The facts {@link EligibilityRule} reads, as the row {@code r}, of some subscribers for one list: the
     * list's own state or, when the subscriber has none, the "all lists" one (as {@link ConsentService#stateOf}).
     */
    private static final String RECIPIENT_FACTS = "SELECT s.id AS subscriber_id, s.phone, s.erased_at IS NOT NULL AS erased,"
            + " c.state, c.suppressed, c.last_event_id, COALESCE(c.sandbox_confirmed, FALSE) AS sandbox_confirmed,"
            + " GREATEST(c.since, (SELECT MAX(e.occurred_at) FROM consent_events e WHERE e.tenant_id = s.tenant_id"
            + " AND e.subscriber_id = s.id AND e.source IN " + INTERACTION_SOURCES + ")) AS last_interaction"
            + " FROM subscribers s LEFT JOIN LATERAL (SELECT x.state, x.suppressed, x.last_event_id,"
            + " x.sandbox_confirmed, x.since FROM consent_states x WHERE x.tenant_id = s.tenant_id"
            + " AND x.subscriber_id = s.id AND (x.list_id = :list OR x.list_id IS NULL)"
            + " ORDER BY x.list_id NULLS LAST LIMIT 1) c ON TRUE"
            + " WHERE s.tenant_id = :tenant AND s.id IN (:ids)";

    /**
     * Every {@link EligibilityRule}, for a batch of subscribers and one list, in one statement: the consent gate
     * immediately before the sends. {@code liveChannel}: the workspace sends through the Cloud API;
     * {@code cutoff}: a reader whose last interaction is older has lapsed. Unknown subscribers are missing from
     * the map.
     */
    public Map<UUID, Eligibility> eligibility(Collection<UUID> subscriberIds, UUID listId, boolean liveChannel,
            Instant cutoff) {
        if (subscriberIds.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT r.subscriber_id, " + EligibilityRule.decision(false)
                    + ", r.last_event_id, r.phone FROM (" + RECIPIENT_FACTS + ") r")
                    .setParameter("list", listId).setParameter("tenant", currentTenant.id())
                    .setParameter("ids", subscriberIds).setParameter("liveChannel", liveChannel)
                    .setParameter("cutoff", SqlValues.ts(cutoff)).getResultList();
            Map<UUID, Eligibility> out = new HashMap<>(rows.size() * 2);
            for (Object[] r : rows) {
                UUID id = uuid(r[0]);
                out.put(id, new Eligibility(id, (String) r[1], uuid(r[2]), (String) r[3]));
            }
            return out;
        });
    }

    /**
     * The numbers (E.164) of the list's members an issue would send to if it started now: the rows of
     * {@link #DECISIONS} without a reason (the gate may still exclude some at their turn). For planning and cost
     * estimates before sending.
     */
    public List<String> eligiblePhones(UUID listId, boolean liveChannel) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> phones = em.createNativeQuery("SELECT s.phone FROM (" + DECISIONS + ") d JOIN subscribers s"
                    + " ON s.tenant_id = d.tenant_id AND s.id = d.subscriber_id WHERE d.reason IS NULL AND s.phone IS NOT NULL")
                    .setParameter("tenant", currentTenant.id()).setParameter("list", listId)
                    .setParameter("liveChannel", liveChannel).getResultList();
            return phones;
        });
    }

    /** The numbers (E.164) of some subscribers of the current workspace (erased ones have none). */
    public List<String> phones(Collection<UUID> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<String> out = new java.util.ArrayList<>(subscriberIds.size());
            em.unwrap(org.hibernate.Session.class).doWork(c -> {
                try (var ps = c.prepareStatement("SELECT phone FROM subscribers WHERE tenant_id = ? AND id = ANY (?)"
                        + " AND phone IS NOT NULL AND erased_at IS NULL")) {
                    ps.setString(1, currentTenant.id());
                    ps.setArray(2, c.createArrayOf("uuid", subscriberIds.toArray()));
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            });
            return out;
        });
    }

    /**
     * How many members of a list a workspace on the Cloud API would not send to because their consent was
     * confirmed only through the sandbox: the rows of {@link #DECISIONS} with that reason.
     */
    public long sandboxOnly(UUID listId) {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM (" + DECISIONS + ") d WHERE d.reason = '" + EligibilityRule.SANDBOX_ONLY.reason
                        + "'")
                .setParameter("tenant", currentTenant.id()).setParameter("list", listId)
                .setParameter("liveChannel", true).getSingleResult()).longValue());
    }

    /** Readers of the workspace (any list) whose CONFIRMED consent came only through the sandbox. */
    public long sandboxOnlyReaders() {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(DISTINCT cs.subscriber_id) FROM consent_states cs JOIN subscribers s"
                        + " ON s.tenant_id = cs.tenant_id AND s.id = cs.subscriber_id WHERE cs.tenant_id = :tenant"
                        + " AND cs.state = " + literal(ConsentStatus.CONFIRMED) + " AND cs.sandbox_confirmed AND s.erased_at IS NULL")
                .setParameter("tenant", currentTenant.id()).getSingleResult()).longValue());
    }
}
