package io.consentcast.consent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;

/**
 * Links ledger events to their chains ({@link #link}, the only code that computes an event's seq, prev_hash and
 * hash) and writes imports in bulk ({@link #appendAll}: the subscribers' rows locked in one statement, the events,
 * evidence and states in JDBC batches). A single event is written by {@link LedgerAppend} in one round trip.
 */
@ApplicationScoped
class LedgerWriter {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** Loads the subscriber and locks its row for the rest of the transaction; 404 when unknown. */
    @Transactional(Transactional.TxType.MANDATORY)
    Subscriber lock(UUID subscriberId) {
        em.flush();
        Subscriber s = subscriberId == null ? null : em.find(Subscriber.class, subscriberId);
        if (s == null) {
            throw ApiException.notFound("consent.subscriber-not-found");
        }
        em.refresh(s, LockModeType.PESSIMISTIC_WRITE);
        return s;
    }

    /**
     * Appends validated requests to their subscribers' chains in one go: locks all subscribers in one statement
     * (in id order), reads their states once, and persists the events, then the evidence, then the new states,
     * so that Hibernate writes each kind in JDBC batches. 404 when a subscriber is unknown, 409 when erased.
     * The persistence context is flushed and cleared first, so the locked rows are read fresh.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<UUID> appendAll(List<NewEvent> requests, Map<UUID, ConsentText> texts) {
        em.flush();
        em.clear();
        Set<UUID> ids = new HashSet<>();
        for (NewEvent r : requests) {
            if (r.subscriberId() == null) {
                throw ApiException.notFound("consent.subscriber-not-found");
            }
            ids.add(r.subscriberId());
        }
        Map<UUID, Subscriber> subscribers = new HashMap<>();
        em.createQuery("from Subscriber where id in :ids order by id", Subscriber.class).setParameter("ids", ids)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().forEach(s -> subscribers.put(s.id, s));
        if (subscribers.size() != ids.size()) {
            throw ApiException.notFound("consent.subscriber-not-found");
        }
        if (subscribers.values().stream().anyMatch(Subscriber::erased)) {
            throw ApiException.conflict("consent.subscriber-erased", null);
        }
        Map<UUID, List<ConsentState>> states = states(ids);
        List<ConsentEvent> events = new ArrayList<>(requests.size());
        List<ConsentEvidence> evidence = new ArrayList<>();
        List<ConsentState> created = new ArrayList<>();
        for (NewEvent r : requests) {
            Subscriber s = subscribers.get(r.subscriberId());
            ConsentEvent e = link(Head.of(s), r, r.consentTextId() == null ? null : texts.get(r.consentTextId()),
                    evidence::add);
            s.lastSeq = e.seq;
            s.lastHash = e.hash;
            events.add(e);
            project(states.computeIfAbsent(s.id, k -> new ArrayList<>()), e, created::add);
        }
        events.forEach(em::persist);
        evidence.forEach(em::persist);
        created.forEach(em::persist);
        return events.stream().map(e -> e.id).toList();
    }

    /** A subscriber's chain head: what the next event links to. */
    record Head(String tenantId, UUID subscriberId, long lastSeq, String lastHash) {

        static Head of(Subscriber s) {
            return new Head(s.tenantId, s.id, s.lastSeq, s.lastHash);
        }
    }

    /**
     * The next event of the chain whose head is {@code s} (not persisted yet) with its evidence, handed to
     * {@code evidenceSink} when there is any. The caller moves the head.
     */
    ConsentEvent link(Head s, NewEvent req, ConsentText text, Consumer<ConsentEvidence> evidenceSink) {
        ConsentEvent e = new ConsentEvent();
        e.id = Ids.uuid7(clock);
        e.tenantId = s.tenantId();
        e.subscriberId = s.subscriberId();
        e.seq = s.lastSeq() + 1;
        e.listId = req.listId();
        e.type = req.type();
        e.occurredAt = LedgerHash.truncate(clock.instant());
        e.source = req.source();
        e.sourceDetail = blankToNull(req.sourceDetail());
        if (text != null) {
            e.consentTextId = text.id;
            e.consentTextSha256 = text.sha256;
        }
        e.waMessageId = blankToNull(req.waMessageId());
        e.waTimestamp = LedgerHash.truncate(req.waTimestamp());
        e.actorUserId = req.actorUserId();
        e.reason = blankToNull(req.reason());
        e.prevHash = s.lastHash();

        ConsentEvidence evidence = null;
        String ip = req.ip() == null ? null : (req.truncateIp() ? truncateIp(req.ip()) : normaliseIp(req.ip()));
        String userAgent = blankToNull(req.userAgent());
        if (ip != null || userAgent != null) {
            evidence = new ConsentEvidence();
            evidence.eventId = e.id;
            evidence.subscriberId = s.subscriberId();
            evidence.salt = salt();
            evidence.ip = ip;
            evidence.userAgent = userAgent;
            e.evidenceDigest = LedgerHash.evidenceDigest(evidence.salt, evidence.ip, evidence.userAgent);
        }
        e.hash = LedgerHash.hash(LedgerHash.Content.of(e));
        if (evidence != null) {
            evidenceSink.accept(evidence);
        }
        return e;
    }

    private Map<UUID, List<ConsentState>> states(Collection<UUID> subscriberIds) {
        Map<UUID, List<ConsentState>> out = new HashMap<>();
        em.createQuery("from ConsentState where subscriberId in :s", ConsentState.class)
                .setParameter("s", subscriberIds).getResultStream()
                .forEach(st -> out.computeIfAbsent(st.subscriberId, k -> new ArrayList<>()).add(st));
        return out;
    }

    /**
     * Applies the event to the subscriber's state rows ({@code current}, kept up to date in place); new rows are
     * handed to {@code persist}.
     */
    private void project(List<ConsentState> current, ConsentEvent e, Consumer<ConsentState> persist) {
        Map<UUID, ConsentProjection.Row> rows = new HashMap<>();
        Map<UUID, ConsentState> entities = new HashMap<>();
        for (ConsentState st : current) {
            rows.put(st.listId, new ConsentProjection.Row(st.consentState, st.suppressed, st.since, st.lastEventId,
                    st.sandboxConfirmed));
            entities.put(st.listId, st);
        }
        ConsentProjection.apply(rows, e);
        for (Map.Entry<UUID, ConsentState> old : entities.entrySet()) {
            if (!rows.containsKey(old.getKey())) {
                em.remove(old.getValue());
                current.remove(old.getValue());
            }
        }
        for (Map.Entry<UUID, ConsentProjection.Row> row : rows.entrySet()) {
            ConsentState st = entities.get(row.getKey());
            if (st == null) {
                st = new ConsentState();
                st.id = Ids.uuid7(clock);
                st.subscriberId = e.subscriberId;
                st.listId = row.getKey();
                copy(row.getValue(), st);
                persist.accept(st);
                current.add(st);
            } else {
                copy(row.getValue(), st);
            }
        }
    }

    static void copy(ConsentProjection.Row row, ConsentState st) {
        st.state = row.state();
        st.consentState = row.consent();
        st.suppressed = row.suppressed();
        st.since = row.since();
        st.lastEventId = row.lastEventId();
        st.sandboxConfirmed = row.sandboxConfirmed();
    }

    /** Empty texts are stored as null: exports cannot tell an empty text from a missing one. */
    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String salt() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code ip} is an IPv4 or IPv6 literal (no host names: nothing is ever looked up). */
    static boolean validIp(String ip) {
        return parseIp(ip) != null;
    }

    private static InetAddress parseIp(String ip) {
        if (ip == null || !(IPV4.matcher(ip).matches() || (ip.contains(":") && IPV6.matcher(ip).matches()))) {
            return null;
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String normaliseIp(String ip) {
        InetAddress address = parseIp(ip);
        if (address == null) {
            throw ApiException.invalid(Map.of("ip", "consent.ip-invalid"));
        }
        return address.getHostAddress();
    }

    /** Keeps the network part only: IPv4 /24 (last octet 0), IPv6 /48. */
    static String truncateIp(String ip) {
        InetAddress address = parseIp(ip);
        if (address == null) {
            throw ApiException.invalid(Map.of("ip", "consent.ip-invalid"));
        }
        byte[] bytes = address.getAddress();
        int keep = bytes.length == 4 ? 3 : 6;
        for (int i = keep; i < bytes.length; i++) {
            bytes[i] = 0;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
