package io.consentcast.consent;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.StateView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;

/**
 * The consent ledger of the current workspace: what other features call to record consent facts
 * and to ask whether a subscriber may be contacted. Every method runs in (or joins) a transaction
 * inside the current workspace; background work wraps calls in {@code TenantScope.call}.
 */
@ApplicationScoped
public class ConsentService {

    static final int MAX_TEXT = 20_000;
    static final int MAX_FIELD = 2_000;
    private static final Set<String> LANGUAGES = Set.of("de", "en");

    @Inject
    io.consentcast.tenancy.TenancyService tenancy;

    @Inject
    EntityManager em;

    @Inject
    ConsentHistory history;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    SubscriberService subscribers;

    @Inject
    LedgerWriter writer;

    @Inject
    LedgerAppend appender;

    @Inject
    ConsentTextCache textCache;

    @Inject
    jakarta.enterprise.event.Event<io.consentcast.shared.PublicPageChanged> publicPageChanged;

    @Inject
    LedgerSettingsService settings;

    @Inject
    ActivityLog activity;

    @Inject
    Clock clock;

    /** Shortcut for {@link SubscriberService#subscriberFor(String)}. */
    @Transactional
    public SubscriberView subscriberFor(String phone) {
        return subscribers.subscriberFor(phone);
    }

    /**
     * Appends one event to the subscriber's chain and updates the consent state, atomically.
     * Refused with 400 when evidence required for the source is missing (ADMIN: the acting user,
     * WHATSAPP and SANDBOX: the message id, SYSTEM: the reason), 404 for an unknown subscriber or consent text,
     * 409 for an erased subscriber. ERASED is only appended by {@link SubscriberService#erase}.
     * The workspace's {@link LedgerSettingsService settings} decide whether IP address and user
     * agent are kept and whether the IP address is truncated (the request can only truncate more).
     */
    @Transactional
    public EventView append(NewEvent request) {
        validate(request);
        ConsentText text = textFor(request);
        LedgerAppend.Appended a = appender.append(request, text);
        return EventView.of(a.event(), a.evidence());
    }

    /**
     * Appends many events in one go, with exactly the rules of {@link #append} (bulk work such as an import
     * chunk: a few statements and JDBC batches instead of about ten statements per event). Every request is
     * checked before anything is written, and the whole call fails like {@code append} would (400, 404, 409).
     * The subscribers are locked in one statement, in id order, so concurrent bulk appends cannot deadlock.
     * Like other bulk operations here it flushes and clears the persistence context before and after: entities
     * the caller loaded earlier are detached. Returns the new events' ids in request order.
     */
    @Transactional
    public List<UUID> appendAll(List<NewEvent> requests) {
        if (requests == null || requests.isEmpty()) {
            return List.of();
        }
        Map<UUID, ConsentText> texts = new HashMap<>();
        for (NewEvent request : requests) {
            validate(request);
            if (request.consentTextId() != null && !texts.containsKey(request.consentTextId())) {
                texts.put(request.consentTextId(), textFor(request));
            }
            ConsentText text = request.consentTextId() == null ? null : texts.get(request.consentTextId());
            if (text != null && text.listId != null && !text.listId.equals(request.listId())) {
                throw ApiException.invalid(Map.of("consentTextId", "consent.text-list-mismatch"));
            }
        }
        LedgerSettingsService.Settings current = this.settings.current();
        List<UUID> ids = writer.appendAll(requests.stream().map(r -> withSettings(r, current)).toList(), texts);
        em.flush();
        em.clear();
        return ids;
    }

    private void validate(NewEvent request) {
        if (request == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        Validation v = new Validation();
        v.check(request.type() != null, "type", "consent.type-required");
        v.check(request.type() != ConsentEventType.ERASED, "type", "consent.erase-via-subscriber");
        v.check(request.source() != null, "source", "consent.source-required");
        v.check(request.source() != EventSource.ADMIN || request.actorUserId() != null, "actorUserId",
                "consent.actor-required");
        v.check((request.source() != EventSource.WHATSAPP && request.source() != EventSource.SANDBOX)
                || present(request.waMessageId()), "waMessageId",
                "consent.wa-message-required");
        v.check(request.source() != EventSource.SYSTEM || present(request.reason()), "reason",
                "consent.reason-required");
        v.check(request.ip() == null || LedgerWriter.validIp(request.ip()), "ip", "consent.ip-invalid");
        v.check(length(request.sourceDetail()) <= MAX_FIELD, "sourceDetail", "consent.too-long");
        v.check(length(request.userAgent()) <= MAX_FIELD, "userAgent", "consent.too-long");
        v.check(length(request.waMessageId()) <= 256, "waMessageId", "consent.too-long");
        v.check(length(request.reason()) <= MAX_FIELD, "reason", "consent.too-long");
        v.throwIfInvalid();
    }

    /** The consent text the request names (null when none); 404 when unknown, 400 when it belongs to another list. */
    private ConsentText textFor(NewEvent request) {
        if (request.consentTextId() == null) {
            return null;
        }
        ConsentText text = textCache.byId(currentTenant.id(), request.consentTextId());
        if (text == null) {
            throw ApiException.notFound("consent.text-not-found");
        }
        if (text.listId != null && !text.listId.equals(request.listId())) {
            throw ApiException.invalid(Map.of("consentTextId", "consent.text-list-mismatch"));
        }
        return text;
    }

    /**
     * The workspace's {@link LedgerSettingsService settings} decide whether IP address and user agent are kept
     * and whether the IP address is truncated (the request can only truncate more).
     */
    static NewEvent withSettings(NewEvent request, LedgerSettingsService.Settings settings) {
        return settings.recordClientData()
                ? request.withClient(request.ip(), request.truncateIp() || settings.truncateIp(), request.userAgent())
                : request.withClient(null, false, null);
    }

    /**
     * The consent of many subscribers for one list at once, by the rule of {@link #stateOf}; subscribers
     * without one are absent from the map.
     */
    @Transactional
    public Map<UUID, ConsentStatus> statesOf(java.util.Collection<UUID> subscriberIds, UUID listId) {
        Map<UUID, ConsentStatus> own = new HashMap<>();
        Map<UUID, ConsentStatus> all = new HashMap<>();
        if (subscriberIds.isEmpty()) {
            return own;
        }
        em.createQuery("select s.subscriberId, s.listId, s.state from ConsentState s where s.subscriberId in :s"
                + " and (s.listId is null or s.listId = :l)", Object[].class)
                .setParameter("s", subscriberIds).setParameter("l", listId).getResultStream()
                .forEach(r -> (r[1] == null ? all : own).put((UUID) r[0], (ConsentStatus) r[2]));
        all.forEach(own::putIfAbsent);
        return own;
    }

    /**
     * The subscriber's consent for a list: the list's own state, else the "all lists" state,
     * else empty (never asked). {@code listId} null asks for the "all lists" state.
     */
    @Transactional
    public Optional<ConsentStatus> stateOf(UUID subscriberId, UUID listId) {
        List<ConsentState> rows = em.createQuery(
                "from ConsentState where subscriberId = :s and (listId is null or listId = :l)", ConsentState.class)
                .setParameter("s", subscriberId).setParameter("l", listId).getResultList();
        return rows.stream().filter(r -> Objects.equals(r.listId, listId)).findFirst()
                .or(() -> rows.stream().filter(r -> r.listId == null).findFirst())
                .map(r -> r.state);
    }

    /** All consent states of one subscriber. */
    @Transactional
    public List<StateView> states(UUID subscriberId) {
        return em.createQuery("from ConsentState where subscriberId = :s", ConsentState.class)
                .setParameter("s", subscriberId).getResultStream().map(StateView::of)
                .sorted(STATE_ORDER).toList();
    }

    /** Every consent state of the workspace, ordered by subscriber and list. */
    @Transactional
    public List<StateView> allStates() {
        return em.createQuery("from ConsentState", ConsentState.class).getResultStream().map(StateView::of)
                .sorted(STATE_ORDER).toList();
    }

    private static final Comparator<StateView> STATE_ORDER = Comparator
            .comparing((StateView s) -> s.subscriberId().toString())
            .thenComparing(s -> s.listId() == null ? "" : s.listId().toString());

    /**
     * Throws the derived state away and replays the whole ledger of the workspace through
     * {@link ConsentProjection}; returns the number of events replayed. Streams the events.
     * A maintenance operation: run it when no appends happen in the workspace (an append
     * during the rebuild would collide with the rebuilt rows and one of them fails). The readers per day, derived
     * from the states, are rebuilt from the ledger with them ({@link ConsentHistory#rebuild}).
     */
    @Transactional
    public long rebuildStates() {
        em.createQuery("delete from ConsentState").executeUpdate();
        long count = 0;
        UUID current = null;
        Map<UUID, ConsentProjection.Row> rows = new HashMap<>();
        try (Stream<ConsentEvent> events = em
                .createQuery("from ConsentEvent order by subscriberId, seq", ConsentEvent.class)
                .setHint("org.hibernate.fetchSize", 1000).setHint("org.hibernate.readOnly", true)
                .getResultStream()) {
            for (ConsentEvent e : (Iterable<ConsentEvent>) events::iterator) {
                if (!e.subscriberId.equals(current)) {
                    persistRows(current, rows);
                    rows.clear();
                    current = e.subscriberId;
                }
                ConsentProjection.apply(rows, e);
                em.detach(e);
                count++;
            }
        }
        persistRows(current, rows);
        history.rebuild();
        return count;
    }

    private void persistRows(UUID subscriberId, Map<UUID, ConsentProjection.Row> rows) {
        if (subscriberId == null) {
            return;
        }
        for (Map.Entry<UUID, ConsentProjection.Row> row : rows.entrySet()) {
            ConsentState st = new ConsentState();
            st.id = Ids.uuid7(clock);
            st.subscriberId = subscriberId;
            st.listId = row.getKey();
            LedgerWriter.copy(row.getValue(), st);
            em.persist(st);
        }
        em.flush();
        em.clear();
    }

    /**
     * Publishes the consent wording of a list (null: the workspace default) as a new immutable
     * version, or returns the current version when text and language are unchanged. Line endings
     * are normalised to \n and surrounding white space removed before hashing.
     */
    @Transactional
    public ConsentTextView publishConsentText(UUID listId, String language, String text, UUID actorUserId) {
        String lang = language == null ? null : language.strip().toLowerCase(Locale.ROOT);
        String body = text == null ? null : text.replace("\r\n", "\n").replace('\r', '\n').strip();
        Validation v = new Validation();
        v.check(lang != null && LANGUAGES.contains(lang), "language", "consent.language-invalid");
        v.require(body, "text", "consent.text-required");
        v.check(body == null || body.length() <= MAX_TEXT, "text", "consent.text-too-long");
        v.throwIfInvalid();
        // Versions of one workspace are numbered one after the other: serialise publishing.
        tenancy.lockCurrentWorkspace();
        Optional<ConsentText> current = latest(listId);
        if (current.isPresent() && current.get().text.equals(body) && current.get().language.equals(lang)) {
            return ConsentTextView.of(current.get());
        }
        // A new version: the cached public pages and inbound answers show it after the commit.
        publicPageChanged.fire(new io.consentcast.shared.PublicPageChanged(currentTenant.id()));
        ConsentText t = new ConsentText();
        t.id = Ids.uuid7(clock);
        t.listId = listId;
        t.version = current.map(c -> c.version + 1).orElse(1);
        t.language = lang;
        t.text = body;
        t.sha256 = LedgerHash.sha256Hex(body);
        t.createdBy = actorUserId;
        t.createdAt = LedgerHash.truncate(clock.instant());
        em.persist(t);
        activity.record(actorUserId, ActivityKind.CONSENT_TEXT_PUBLISHED, ActivitySubject.list(listId),
                new ActivityDetails.ConsentTextPublished(null, t.version, lang));
        return ConsentTextView.of(t);
    }

    /** The newest consent text of the list (null: the workspace default). */
    @Transactional
    public Optional<ConsentTextView> currentConsentText(UUID listId) {
        return latest(listId).map(ConsentTextView::of);
    }

    /** Every version of the list's consent text, newest first. */
    @Transactional
    public List<ConsentTextView> consentTextVersions(UUID listId) {
        return textsOf(listId).stream().map(ConsentTextView::of).toList();
    }

    @Transactional
    public Optional<ConsentTextView> consentText(UUID id) {
        return Optional.ofNullable(em.find(ConsentText.class, id)).map(ConsentTextView::of);
    }

    /** The newest version only (every landing page and submission reads it; lists keep all versions). */
    private Optional<ConsentText> latest(UUID listId) {
        String where = listId == null ? "listId is null" : "listId = :l";
        var q = em.createQuery("from ConsentText where " + where + " order by version desc", ConsentText.class)
                .setMaxResults(1);
        if (listId != null) {
            q.setParameter("l", listId);
        }
        return q.getResultStream().findFirst();
    }

    private List<ConsentText> textsOf(UUID listId) {
        String where = listId == null ? "listId is null" : "listId = :l";
        var q = em.createQuery("from ConsentText where " + where + " order by version desc", ConsentText.class);
        if (listId != null) {
            q.setParameter("l", listId);
        }
        return q.getResultList();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
