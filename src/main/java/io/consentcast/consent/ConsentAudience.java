package io.consentcast.consent;

import static io.consentcast.shared.SqlValues.uuid;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

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
    static final String INTERACTION_SOURCES = "('WHATSAPP', 'LANDING_PAGE', 'SANDBOX')";

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    /**
     * What the gate needs to know about one subscriber and one list. {@code listState} is the
     * list's own row or, when the subscriber has none, the "all lists" row (as
     * {@link ConsentService#stateOf}); null when never asked. {@code lastInteraction} is the latest
     * of the state's {@code since} and the subscriber's last WhatsApp, sandbox or landing-page event.
     * {@code sandboxConfirmed}: the CONFIRMED consent came through the sandbox only.
     */
    public record Recipient(UUID subscriberId, String phone, boolean erased, ConsentStatus state, boolean suppressed,
            Instant since, UUID lastEventId, Instant lastInteraction, boolean sandboxConfirmed) {
    }

    /** Reasons for excluding a reader, shared with the dispatch gate (which decides the same way per row). */
    public static final String ERASED = "erased";
    public static final String SUPPRESSED = "suppressed";
    public static final String WITHDRAWN = "withdrawn";
    public static final String EXPIRED = "expired";
    public static final String NOT_CONFIRMED = "not-confirmed";
    /**
     * Confirmed only through the sandbox (which plays Meta's part in a test workspace) while the workspace
     * sends through the Cloud API: nobody proved control of the real number, so such readers are not sent
     * to until they confirm on WhatsApp.
     */
    public static final String SANDBOX_ONLY = "sandbox-only-consent";

    /**
     * The decision for a member taken in SQL when an issue starts, from the same facts and in the same
     * order as the per-row gate: erased, suppressed, withdrawn, expired, not confirmed, confirmed only
     * through the sandbox while the channel is live ({@code :liveChannel}, true for the Cloud API). NULL:
     * confirmed now, so the row stays PENDING and the gate looks again immediately before the send.
     */
    private static final String EXCLUSION = "CASE WHEN s.erased_at IS NOT NULL THEN '" + ERASED + "'"
            + " WHEN cs.suppressed OR cs.state = 'SUPPRESSED' THEN '" + SUPPRESSED + "'"
            + " WHEN cs.state = 'WITHDRAWN' THEN '" + WITHDRAWN + "'"
            + " WHEN cs.state = 'EXPIRED' THEN '" + EXPIRED + "'"
            + " WHEN cs.state <> 'CONFIRMED' THEN '" + NOT_CONFIRMED + "'"
            + " WHEN :liveChannel AND cs.sandbox_confirmed THEN '" + SANDBOX_ONLY + "' END";

    /**
     * The audience of a list as one SQL query, for a feature that records a decision per member in its own
     * table (dispatch materialises an issue's delivery rows with {@code INSERT ... SELECT}): one row
     * {@code (tenant_id, subscriber_id, reason)} per member of the list (every subscriber with a state for
     * the list, whatever it is) plus the subscribers CONFIRMED by an "all lists" state without a row for
     * the list; {@code reason} is NULL for those CONFIRMED now (the gate looks again immediately before the
     * send) and the exclusion reason for the others. Named parameters: {@code :tenant}, {@code :list},
     * {@code :liveChannel} (true when the workspace sends through the Cloud API rather than the sandbox).
     * Consent keeps its tables and its rules; the caller only selects from the result.
     */
    public static final String DECISIONS = "SELECT cs.tenant_id, cs.subscriber_id, " + EXCLUSION + " AS reason"
            + " FROM consent_states cs JOIN subscribers s ON s.tenant_id = cs.tenant_id AND s.id = cs.subscriber_id"
            + " WHERE cs.tenant_id = :tenant AND cs.list_id = :list"
            + " UNION ALL"
            + " SELECT cs.tenant_id, cs.subscriber_id, " + EXCLUSION + " AS reason"
            + " FROM consent_states cs JOIN subscribers s ON s.tenant_id = cs.tenant_id AND s.id = cs.subscriber_id"
            + " WHERE cs.tenant_id = :tenant AND cs.list_id IS NULL AND cs.state = 'CONFIRMED'"
            + " AND NOT EXISTS (SELECT 1 FROM consent_states o WHERE o.tenant_id = cs.tenant_id"
            + " AND o.subscriber_id = cs.subscriber_id AND o.list_id = :list)";

    /** The current consent facts of one subscriber for one list, read in one statement; empty for an unknown subscriber. */
    public Optional<Recipient> recipient(UUID subscriberId, UUID listId) {
        return Optional.ofNullable(recipients(List.of(subscriberId), listId).get(subscriberId));
    }

    /**
     * The current consent facts of several subscribers for one list, read in one statement (the gate
     * of a batch of deliveries); unknown subscribers are missing from the map.
     */
    public Map<UUID, Recipient> recipients(Collection<UUID> subscriberIds, UUID listId) {
        if (subscriberIds.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT s.id, s.phone, s.erased_at,"
                    + " cl.state, cl.suppressed, cl.since, cl.last_event_id,"
                    + " ca.state, ca.suppressed, ca.since, ca.last_event_id,"
                    + " (SELECT MAX(e.occurred_at) FROM consent_events e WHERE e.tenant_id = s.tenant_id"
                    + " AND e.subscriber_id = s.id AND e.source IN " + INTERACTION_SOURCES + "),"
                    + " cl.sandbox_confirmed, ca.sandbox_confirmed"
                    + " FROM subscribers s"
                    + " LEFT JOIN consent_states cl ON cl.tenant_id = s.tenant_id AND cl.subscriber_id = s.id"
                    + " AND cl.list_id = :list"
                    + " LEFT JOIN consent_states ca ON ca.tenant_id = s.tenant_id AND ca.subscriber_id = s.id"
                    + " AND ca.list_id IS NULL"
                    + " WHERE s.tenant_id = :tenant AND s.id IN (:ids)")
                    .setParameter("list", listId).setParameter("tenant", currentTenant.id())
                    .setParameter("ids", subscriberIds).getResultList();
            Map<UUID, Recipient> out = new HashMap<>(rows.size() * 2);
            for (Object[] r : rows) {
                UUID id = uuid(r[0]);
                boolean own = r[3] != null;
                int o = own ? 3 : 7;
                ConsentStatus state = r[o] == null ? null : ConsentStatus.valueOf(r[o].toString());
                boolean suppressed = r[o + 1] != null && (Boolean) r[o + 1];
                Instant since = instant(r[o + 2]);
                UUID lastEvent = uuid(r[o + 3]);
                Instant interaction = latest(since, instant(r[11]));
                Object sandbox = own ? r[12] : r[13];
                out.put(id, new Recipient(id, (String) r[1], r[2] != null, state, suppressed, since, lastEvent,
                        interaction, sandbox != null && (Boolean) sandbox));
            }
            return out;
        });
    }

    /**
     * How many members of a list a workspace on the Cloud API would not send to because their consent was
     * confirmed only through the sandbox: the rows of {@link #DECISIONS} with that reason.
     */
    public long sandboxOnly(UUID listId) {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM (" + DECISIONS + ") d WHERE d.reason = '" + SANDBOX_ONLY + "'")
                .setParameter("tenant", currentTenant.id()).setParameter("list", listId)
                .setParameter("liveChannel", true).getSingleResult()).longValue());
    }

    /** Readers of the workspace (any list) whose CONFIRMED consent came only through the sandbox. */
    public long sandboxOnlyReaders() {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(DISTINCT cs.subscriber_id) FROM consent_states cs JOIN subscribers s"
                        + " ON s.tenant_id = cs.tenant_id AND s.id = cs.subscriber_id WHERE cs.tenant_id = :tenant"
                        + " AND cs.state = 'CONFIRMED' AND cs.sandbox_confirmed AND s.erased_at IS NULL")
                .setParameter("tenant", currentTenant.id()).getSingleResult()).longValue());
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        throw new IllegalStateException("Unexpected time value " + o.getClass());
    }
}
