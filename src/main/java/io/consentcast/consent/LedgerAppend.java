package io.consentcast.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.PersistenceContext;
import org.hibernate.engine.spi.SessionImplementor;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.SqlValues;

/**
 * Appends one event in two statements: one reads the subscriber's chain head and consent states, the other
 * ({@code consentcast_append_event}, migration V8_20) moves the head, inserts the event and its evidence and writes
 * the changed state rows. The event's hash is computed here ({@link LedgerWriter#link}, {@link LedgerHash}) and the
 * new states by {@link ConsentProjection}, as for every other append. The database function moves the head only from
 * the head this append was computed from (compare-and-set under the row lock): when another transaction appended to
 * the same subscriber in between, it writes nothing, and the append is computed again from the new head. Two appends
 * for one subscriber therefore serialise on the head's row lock, as with {@code SELECT ... FOR UPDATE}, and appends for
 * different subscribers never wait for each other.
 */
@ApplicationScoped
class LedgerAppend {

    /** Retries after the head moved; each one waited for another append to the same subscriber to commit. */
    static final int MAX_ATTEMPTS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EntityManager em;

    @Inject
    LedgerWriter writer;

    @Inject
    java.time.Clock clock;

    /** What was appended: the event and its evidence (null when none). */
    record Appended(ConsentEvent event, ConsentEvidence evidence) {
    }

    /**
     * Appends a validated request to the subscriber's chain, keeping IP address and user agent as the workspace's
     * {@link LedgerSettingsService settings} say (read with the head, never stale); 404 when the subscriber is
     * unknown (or in another workspace), 409 when it is erased (unless the event is ERASED itself, which {@link SubscriberService#erase}
     * appends after marking the subscriber).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Appended append(NewEvent req, ConsentText text) {
        if (req.subscriberId() == null) {
            throw ApiException.notFound("consent.subscriber-not-found");
        }
        em.flush(); // what this transaction changed through entities is in the database before the head is read
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Current current = read(req.subscriberId());
            if (current.erased() && req.type() != ConsentEventType.ERASED) {
                throw ApiException.conflict("consent.subscriber-erased", null);
            }
            List<ConsentEvidence> evidence = new ArrayList<>(1);
            ConsentEvent e = writer.link(current.head(), ConsentService.withSettings(req, current.settings()), text,
                    evidence::add);
            ConsentEvidence v = evidence.isEmpty() ? null : evidence.get(0);
            Map<UUID, ConsentProjection.Row> after = new HashMap<>(current.rows());
            ConsentProjection.apply(after, e);
            Object written = em.createNativeQuery("SELECT consentcast_append_event(cast(?1 AS jsonb))")
                    .setParameter(1, json(e, v, current, after)).getSingleResult();
            if (Boolean.TRUE.equals(written)) {
                forgetStale(req.subscriberId());
                return new Appended(e, v);
            }
        }
        throw new IllegalStateException("The chain head of subscriber " + req.subscriberId() + " kept moving");
    }

    /**
     * The function wrote past Hibernate: entities of this subscriber that the transaction had loaded (its row, its
     * states) would answer later queries of the same transaction with what they were before. The subscriber's row is
     * read again (it has no unflushed changes: the append flushed first), its state rows are forgotten. On the usual
     * paths (inbound messages, landing pages) neither is loaded: this costs a look at a handful of other entities.
     */
    private void forgetStale(UUID subscriberId) {
        PersistenceContext context = em.unwrap(SessionImplementor.class).getPersistenceContextInternal();
        if (context.getNumberOfManagedEntities() == 0) {
            return;
        }
        for (Map.Entry<Object, EntityEntry> entry : context.reentrantSafeEntityEntries()) {
            Object entity = entry.getKey();
            if (entity instanceof ConsentState st && subscriberId.equals(st.subscriberId)) {
                em.detach(st);
            } else if (entity instanceof Subscriber s && subscriberId.equals(s.id)) {
                em.refresh(s);
            }
        }
    }

    /**
     * The chain head and the consent states of a subscriber, and the workspace's evidence settings, as one consistent
     * snapshot (one statement).
     */
    private record Current(LedgerWriter.Head head, boolean erased, LedgerSettingsService.Settings settings,
            Map<UUID, ConsentProjection.Row> rows, Map<UUID, UUID> rowIds) {
    }

    private Current read(UUID subscriberId) {
        @SuppressWarnings("unchecked")
        List<Object[]> result = em.createNativeQuery("SELECT s.tenant_id, s.last_seq, s.last_hash, s.erased_at,"
                + " c.id, c.list_id, c.consent_state, c.suppressed, c.since, c.last_event_id, c.sandbox_confirmed,"
                + " ls.record_client_data, ls.truncate_ip"
                + " FROM subscribers s LEFT JOIN ledger_settings ls ON ls.tenant_id = s.tenant_id"
                + " LEFT JOIN consent_states c ON c.subscriber_id = s.id WHERE s.id = ?1")
                .setParameter(1, subscriberId).getResultList();
        if (result.isEmpty()) {
            throw ApiException.notFound("consent.subscriber-not-found");
        }
        Object[] first = result.get(0);
        LedgerWriter.Head head = new LedgerWriter.Head((String) first[0], subscriberId, ((Number) first[1]).longValue(),
                (String) first[2]);
        Map<UUID, ConsentProjection.Row> rows = new HashMap<>();
        Map<UUID, UUID> rowIds = new HashMap<>();
        for (Object[] r : result) {
            if (r[4] == null) {
                continue;
            }
            UUID list = SqlValues.uuid(r[5]);
            rows.put(list, new ConsentProjection.Row(r[6] == null ? null : ConsentStatus.valueOf((String) r[6]),
                    (Boolean) r[7], instant(r[8]), SqlValues.uuid(r[9]), (Boolean) r[10]));
            rowIds.put(list, SqlValues.uuid(r[4]));
        }
        LedgerSettingsService.Settings settings = first[11] == null ? LedgerSettingsService.Settings.DEFAULTS
                : new LedgerSettingsService.Settings((Boolean) first[11], (Boolean) first[12],
                        LedgerSettingsService.DEFAULT_RETENTION_MONTHS);
        return new Current(head, first[3] != null, settings, rows, rowIds);
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return ((java.sql.Timestamp) o).toInstant();
    }

    private String json(ConsentEvent e, ConsentEvidence v, Current before, Map<UUID, ConsentProjection.Row> after) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", e.id.toString());
        p.put("subscriber_id", e.subscriberId.toString());
        p.put("seq", e.seq);
        p.put("list_id", text(e.listId));
        p.put("type", e.type.name());
        p.put("occurred_at", LedgerHash.time(e.occurredAt));
        p.put("source", e.source.name());
        p.put("source_detail", e.sourceDetail);
        p.put("consent_text_id", text(e.consentTextId));
        p.put("consent_text_sha256", e.consentTextSha256);
        p.put("evidence_digest", e.evidenceDigest);
        p.put("wa_message_id", e.waMessageId);
        p.put("wa_timestamp", LedgerHash.time(e.waTimestamp));
        p.put("actor_user_id", text(e.actorUserId));
        p.put("reason", e.reason);
        p.put("prev_hash", e.prevHash);
        p.put("hash", e.hash);
        if (v != null) {
            p.putObject("evidence").put("salt", v.salt).put("ip", v.ip).put("user_agent", v.userAgent);
        }
        ArrayNode states = p.putArray("states");
        for (Map.Entry<UUID, ConsentProjection.Row> row : after.entrySet()) {
            ConsentProjection.Row was = before.rows().get(row.getKey());
            if (Objects.equals(was, row.getValue()) && before.rows().containsKey(row.getKey())) {
                continue;
            }
            ConsentProjection.Row r = row.getValue();
            UUID id = before.rowIds().get(row.getKey());
            states.addObject().put("id", (id == null ? Ids.uuid7(clock) : id).toString())
                    .put("list_id", text(row.getKey())).put("state", r.state().name())
                    .put("consent_state", r.consent() == null ? null : r.consent().name())
                    .put("suppressed", r.suppressed()).put("since", LedgerHash.time(r.since()))
                    .put("last_event_id", r.lastEventId().toString()).put("sandbox_confirmed", r.sandboxConfirmed())
                    .put("remove", false);
        }
        for (UUID gone : before.rows().keySet()) {
            if (!after.containsKey(gone)) {
                states.addObject().put("list_id", text(gone)).put("remove", true);
            }
        }
        return p.toString();
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }
}
