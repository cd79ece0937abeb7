package io.consentcast.consent;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.StateView;
import io.consentcast.consent.Views.SubscriberExport;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.Role;

/**
 * Subscribers of the current workspace: one per WhatsApp number, found again by the number's
 * keyed hash even after erasure, so an erased person is never silently re-created.
 */
@ApplicationScoped
public class SubscriberService {

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    SubscriberKeys keys;

    @Inject
    LedgerConfig config;

    @Inject
    LedgerWriter writer;

    @Inject
    LedgerAppend appender;

    @Inject
    ActivityLog activity;

    @Inject
    ConsentService consent;

    @Inject
    ListNames listNames;

    @Inject
    Clock clock;

    /**
     * The subscriber with this number, created if new. The number may be written as people
     * write it ("0151 2345678", "+49 151 2345678"); numbers without a country code are read in
     * the configured default region. An erased subscriber is returned as it is (erased, no
     * number): the ledger then refuses new consent for it. 400 when the number is invalid.
     */
    @Transactional
    public SubscriberView subscriberFor(String phone) {
        return subscriberFor(phone, null);
    }

    /** As {@link #subscriberFor(String)}, also remembering the WhatsApp id when it was unknown. */
    @Transactional
    public SubscriberView subscriberFor(String phone, String waId) {
        String e164 = normalise(phone);
        String hmac = keys.phoneHmac(currentTenant.id(), e164);
        SubscriberView s = viewByHmac(hmac).orElse(null);
        String wa = blankToNull(waId) == null ? null : waId.strip();
        if (s == null) {
            UUID id = Ids.uuid7(clock);
            String publicId = Ids.token(12);
            Instant now = LedgerHash.truncate(clock.instant());
            int inserted = em.createNativeQuery("INSERT INTO subscribers (id, tenant_id, public_id, phone, phone_hmac,"
                    + " wa_id, created_at, last_seq, last_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)"
                    + " ON CONFLICT DO NOTHING")
                    .setParameter(1, id)
                    .setParameter(2, currentTenant.id())
                    .setParameter(3, publicId)
                    .setParameter(4, e164)
                    .setParameter(5, hmac)
                    .setParameter(6, wa)
                    .setParameter(7, now)
                    .setParameter(8, LedgerHash.GENESIS)
                    .executeUpdate();
            // Inserted: this is the row. Not inserted: another transaction created the number first; read its row.
            return inserted == 1 ? new SubscriberView(id, publicId, e164, wa, now, null)
                    : viewByHmac(hmac).orElseThrow(() -> new IllegalStateException("Subscriber insert lost"));
        }
        if (!s.erased() && s.waId() == null && wa != null) {
            em.createQuery("update Subscriber set waId = :w where id = :id and waId is null").setParameter("w", wa)
                    .setParameter("id", s.id()).executeUpdate();
            return new SubscriberView(s.id(), s.publicId(), s.phone(), wa, s.createdAt(), s.erasedAt());
        }
        return s;
    }

    /** The subscriber with this number, if known (also when erased). 400 when the number is invalid. */
    @Transactional
    public Optional<SubscriberView> findByPhone(String phone) {
        String e164 = normalise(phone);
        return viewByHmac(keys.phoneHmac(currentTenant.id(), e164));
    }

    /**
     * The known subscribers (also erased ones) among many E.164 numbers, keyed by number, read in one query
     * (bulk work such as imports). Numbers must already be E.164 ({@link PhoneNumbers#e164}).
     */
    @Transactional
    public Map<String, SubscriberView> findByPhones(Collection<String> e164s) {
        Map<String, String> byHmac = new HashMap<>();
        for (String e164 : e164s) {
            byHmac.put(keys.phoneHmac(currentTenant.id(), e164), e164);
        }
        Map<String, SubscriberView> out = new HashMap<>();
        if (byHmac.isEmpty()) {
            return out;
        }
        em.createQuery("select s.phoneHmac, s.id, s.publicId, s.phone, s.waId, s.createdAt, s.erasedAt from Subscriber s"
                + " where s.phoneHmac in :h", Object[].class).setParameter("h", byHmac.keySet()).getResultStream()
                .forEach(r -> out.put(byHmac.get((String) r[0]), new SubscriberView((UUID) r[1], (String) r[2],
                        (String) r[3], (String) r[4], (Instant) r[5], (Instant) r[6])));
        return out;
    }

    /**
     * As {@link #subscriberFor(String)} for many E.164 numbers at once: the missing ones are created in one
     * JDBC batch, then all are read in one query. Keyed by number.
     */
    @Transactional
    public Map<String, SubscriberView> subscribersFor(Collection<String> e164s) {
        if (e164s.isEmpty()) {
            return new HashMap<>();
        }
        Map<String, SubscriberView> known = findByPhones(e164s);
        List<String> missing = e164s.stream().filter(p -> !known.containsKey(p)).distinct().toList();
        if (missing.isEmpty()) {
            return known;
        }
        String tenant = currentTenant.id();
        Instant now = LedgerHash.truncate(clock.instant());
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscribers (id, tenant_id, public_id, phone,"
                    + " phone_hmac, created_at, last_seq, last_hash) VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING")) {
                for (String e164 : missing) {
                    ps.setObject(1, Ids.uuid7(clock));
                    ps.setString(2, tenant);
                    ps.setString(3, Ids.token(12));
                    ps.setString(4, e164);
                    ps.setString(5, keys.phoneHmac(tenant, e164));
                    ps.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    ps.setString(7, LedgerHash.GENESIS);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        return findByPhones(e164s);
    }

    @Transactional
    public SubscriberView get(String publicId) {
        return SubscriberView.of(entity(publicId));
    }

    @Transactional
    public Optional<SubscriberView> byId(UUID id) {
        return Optional.ofNullable(em.find(Subscriber.class, id)).map(SubscriberView::of);
    }

    /**
     * Erases a subscriber (GDPR Art. 17): removes the number, the WhatsApp id and the IP addresses
     * and user agents of their events, keeps the keyed hash of the number, and appends ERASED.
     * The ledger itself is not changed, so every chain still verifies. Erasing again changes nothing.
     */
    @Transactional
    public SubscriberView erase(String publicId, UUID actorUserId) {
        Subscriber s = writer.lock(entity(publicId).id);
        if (s.erased()) {
            return SubscriberView.of(s);
        }
        s.phone = null;
        s.waId = null;
        s.erasedAt = LedgerHash.truncate(clock.instant());
        em.createQuery("delete from ConsentEvidence where subscriberId = :s").setParameter("s", s.id).executeUpdate();
        appender.append(NewEvent.of(s.id, ConsentEventType.ERASED, EventSource.ADMIN).withActor(actorUserId)
                .withReason("Erasure of personal data (GDPR Art. 17)"), null);
        activity.record(actorUserId, ActivityKind.SUBSCRIBER_ERASED, ActivitySubject.subscriber(s.publicId),
                new ActivityDetails.None());
        return SubscriberView.of(s);
    }

    /**
     * Records a withdrawal a member received outside Consentcast (letter, phone call): a WITHDRAWN event from the
     * ADMIN source with the member and the reason, for one list ({@code listId}, checked by the caller) or all.
     */
    @Transactional
    public EventView withdrawByMember(String publicId, UUID listId, String reason, UUID actorUserId) {
        SubscriberView s = get(publicId);
        EventView event = consent.append(NewEvent.of(s.id(), ConsentEventType.WITHDRAWN, EventSource.ADMIN)
                .forList(listId).withActor(actorUserId).withReason(reason));
        activity.record(actorUserId, ActivityKind.CONSENT_WITHDRAWN, ActivitySubject.subscriber(s.publicId()),
                new ActivityDetails.Withdrawn(listId == null ? null : listNames.names().get(listId), reason));
        return event;
    }

    /**
     * The subscriber's events, oldest first, with the evidence still held. IP address and browser only for a
     * caller who is ADMIN or OWNER of the workspace (as in exports); for everyone else they are null and the
     * event says {@code evidenceWithheld}.
     */
    @Transactional
    public List<EventView> events(String publicId) {
        return events(entity(publicId).id);
    }

    /** As {@link #events(String)}, by internal id. */
    @Transactional
    public List<EventView> events(UUID subscriberId) {
        List<ConsentEvent> events = em.createQuery("from ConsentEvent where subscriberId = :s order by seq",
                ConsentEvent.class).setParameter("s", subscriberId).getResultList();
        Map<UUID, ConsentEvidence> evidence = new java.util.HashMap<>();
        em.createQuery("from ConsentEvidence where subscriberId = :s", ConsentEvidence.class)
                .setParameter("s", subscriberId).getResultList().forEach(v -> evidence.put(v.eventId, v));
        boolean details = mayReadEvidenceDetails();
        return events.stream().map(e -> EventView.of(e, evidence.get(e.id)))
                .map(v -> details ? v : v.withoutEvidenceDetails()).toList();
    }

    /** Whether the caller may read IP addresses and browsers: ADMIN and OWNER (docs/ROLES.md). */
    public boolean mayReadEvidenceDetails() {
        Role role = currentTenant.role();
        return role != null && role.atLeast(Role.ADMIN);
    }

    /** Everything held about one subscriber (GDPR Art. 15/20), for the subscriber or an authority. */
    @Transactional
    public SubscriberExport export(String publicId, UUID actorUserId) {
        Subscriber s = entity(publicId);
        List<EventView> events = events(s.id);
        List<StateView> states = em.createQuery("from ConsentState where subscriberId = :s", ConsentState.class)
                .setParameter("s", s.id).getResultList().stream().map(StateView::of)
                .sorted(Comparator.comparing(v -> v.listId() == null ? "" : v.listId().toString())).toList();
        List<UUID> textIds = events.stream().map(EventView::consentTextId).filter(java.util.Objects::nonNull)
                .distinct().toList();
        List<ConsentTextView> texts = textIds.isEmpty() ? List.of()
                : em.createQuery("from ConsentText where id in :ids order by createdAt", ConsentText.class)
                        .setParameter("ids", textIds).getResultList().stream().map(ConsentTextView::of).toList();
        activity.record(actorUserId, ActivityKind.SUBSCRIBER_EXPORTED, ActivitySubject.subscriber(s.publicId),
                new ActivityDetails.None());
        return new SubscriberExport(SubscriberView.of(s), states, events, texts, clock.instant());
    }

    Subscriber entity(String publicId) {
        if (publicId == null) {
            throw ApiException.notFound("consent.subscriber-not-found");
        }
        return em.createQuery("from Subscriber where publicId = :p", Subscriber.class).setParameter("p", publicId)
                .getResultStream().findFirst()
                .orElseThrow(() -> ApiException.notFound("consent.subscriber-not-found"));
    }

    /** The subscriber as a view, read without making it a managed entity of the transaction. */
    private Optional<SubscriberView> viewByHmac(String hmac) {
        return em.createQuery("select s.id, s.publicId, s.phone, s.waId, s.createdAt, s.erasedAt from Subscriber s"
                + " where s.phoneHmac = :h", Object[].class).setParameter("h", hmac).getResultStream().findFirst()
                .map(r -> new SubscriberView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (Instant) r[4],
                        (Instant) r[5]));
    }

    private String normalise(String phone) {
        return PhoneNumbers.e164(phone, config.defaultRegion())
                .orElseThrow(() -> ApiException.invalid(Map.of("phone", "consent.phone-invalid")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
