package io.consentcast.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import io.consentcast.shared.Paging;

/** Read models over the consent projection: the subscriber directory, counts, and audiences. */
@ApplicationScoped
public class ConsentQueries {

    public static final int PAGE_SIZE = 50;

    @Inject
    EntityManager em;

    @Inject
    LedgerConfig config;

    /** One list membership of a subscriber in the directory. */
    public record ListState(UUID list, ConsentStatus state, Instant since) {
    }

    public record DirectoryEntry(String id, String phone, boolean erased, Instant createdAt, List<ListState> lists) {
    }

    public record DirectoryPage(List<DirectoryEntry> items, long total, int page, int pageSize) {

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

    /**
     * Subscribers filtered by list, state, the date their state began ({@code from} inclusive, {@code to}
     * exclusive) and a search text (digits of the number, or the public id), newest first.
     */
    @Transactional
    public DirectoryPage directory(UUID list, ConsentStatus state, Instant from, Instant to, String q, int page) {
        StringBuilder where = new StringBuilder(" from Subscriber s where exists (select 1 from ConsentState c"
                + " where c.subscriberId = s.id");
        Map<String, Object> params = new HashMap<>();
        if (list != null) {
            where.append(" and c.listId = :list");
            params.put("list", list);
        }
        if (state != null) {
            where.append(" and c.state = :state");
            params.put("state", state);
        }
        if (from != null) {
            where.append(" and c.since >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.append(" and c.since < :to");
            params.put("to", to);
        }
        where.append(")");
        if (q != null && !q.isBlank()) {
            // A number typed nationally (0151 ...) is matched in its international form.
            String digits = PhoneNumbers.e164(q, config.defaultRegion()).map(e -> e.substring(1))
                    .orElse(q.replaceAll("[^0-9]", ""));
            where.append(" and (s.publicId = :raw");
            params.put("raw", q.trim());
            if (!digits.isEmpty()) {
                where.append(" or s.phone like :digits");
                params.put("digits", "%" + digits + "%");
            }
            // International digits without "+" (4915..., as WhatsApp shows wa_ids) are matched as typed too.
            String typed = q.replaceAll("[^0-9]", "");
            if (!typed.isEmpty() && !typed.equals(digits)) {
                where.append(" or s.phone like :typed");
                params.put("typed", "%" + typed + "%");
            }
            where.append(")");
        }
        TypedQuery<Long> count = em.createQuery("select count(s)" + where, Long.class);
        TypedQuery<Subscriber> select = em.createQuery("select s" + where + " order by s.createdAt desc, s.id",
                Subscriber.class);
        params.forEach((k, v) -> {
            count.setParameter(k, v);
            select.setParameter(k, v);
        });
        int p = Math.max(page, 1);
        List<Subscriber> found = select.setFirstResult(Paging.offset(p, PAGE_SIZE)).setMaxResults(PAGE_SIZE).getResultList();
        Map<UUID, List<ListState>> states = new HashMap<>();
        if (!found.isEmpty()) {
            em.createQuery("from ConsentState where subscriberId in :ids and listId is not null order by since",
                    ConsentState.class)
                    .setParameter("ids", found.stream().map(s -> s.id).toList())
                    .getResultStream()
                    .forEach(c -> states.computeIfAbsent(c.subscriberId, k -> new ArrayList<>())
                            .add(new ListState(c.listId, c.state, c.since)));
        }
        List<DirectoryEntry> items = found.stream().map(s -> new DirectoryEntry(s.publicId, s.phone,
                s.erasedAt != null, s.createdAt, states.getOrDefault(s.id, List.of()))).toList();
        return new DirectoryPage(items, count.getSingleResult(), p, PAGE_SIZE);
    }

    /** How many subscribers each list has in each state. */
    @Transactional
    public Map<UUID, Map<ConsentStatus, Long>> countsByListAndState() {
        Map<UUID, Map<ConsentStatus, Long>> out = new LinkedHashMap<>();
        em.createQuery("select c.listId, c.state, count(c) from ConsentState c where c.listId is not null"
                + " group by c.listId, c.state", Object[].class)
                .getResultStream()
                .forEach(r -> out.computeIfAbsent((UUID) r[0], k -> new LinkedHashMap<>())
                        .put((ConsentStatus) r[1], (Long) r[2]));
        return out;
    }

    /** Up to {@code limit} subscribers of a list in a state (for example IMPORTED ones to ask again). */
    @Transactional
    public List<UUID> subscribersIn(UUID list, ConsentStatus state, int limit) {
        return em.createQuery("select c.subscriberId from ConsentState c where c.listId = :list and c.state = :state"
                + " order by c.since", UUID.class)
                .setParameter("list", list).setParameter("state", state).setMaxResults(limit).getResultList();
    }
}
