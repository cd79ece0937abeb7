package io.consentcast.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TeamService;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.arc.Arc;

/**
 * The admin activity log of the current workspace: every change a member makes, as a typed {@link ActivityKind}
 * about an {@link ActivitySubject} with typed {@link ActivityDetails}. Entries are written in the transaction of the
 * action they describe, so an action and its log entry are committed (or rolled back) together. Reading and
 * showing entries: {@link ActivityViews}.
 */
@ApplicationScoped
public class ActivityLog {

    public static final int MAX_PAGE = 500;

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Inject
    TenancyService tenancy;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    /**
     * Records {@code kind} about {@code subject}, done by the member of the current request (the system when there
     * is no signed-in request, as in a scheduled job).
     */
    @Transactional
    public void record(ActivityKind kind, ActivitySubject subject, ActivityDetails details) {
        record(currentActor(), kind, subject, details);
    }

    /** Records {@code kind} done by {@code actorUserId} (null: the system), for work that outlives its request. */
    @Transactional
    public void record(UUID actorUserId, ActivityKind kind, ActivitySubject subject, ActivityDetails details) {
        if (subject == null || subject.type() != kind.subject) {
            throw new IllegalArgumentException(kind + " is about a " + kind.subject + ", not " + subject);
        }
        if (!kind.details.isInstance(details)) {
            throw new IllegalArgumentException(kind + " takes " + kind.details.getSimpleName());
        }
        ActivityEntry e = new ActivityEntry();
        e.id = Ids.uuid7(clock);
        e.occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        e.actorUserId = actorUserId;
        e.action = kind.code;
        e.subjectType = subject.type();
        e.subjectId = subject.id();
        try {
            e.details = JSON.writeValueAsString(details);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        em.persist(e);
    }

    private UUID currentActor() {
        if (!Arc.container().requestContext().isActive() || !caller.isAuthenticated()) {
            return null;
        }
        return caller.userId();
    }

    /** Team changes (invitations, joins, role changes, removals), in the team change's transaction. */
    void onTeamChanged(@Observes TeamService.TeamChanged change) {
        ActivitySubject subject = switch (change.change()) {
            case INVITED, INVITATION_REVOKED -> ActivitySubject.of(ActivitySubject.Type.INVITATION, change.subjectId());
            default -> ActivitySubject.of(ActivitySubject.Type.MEMBER, change.subjectId());
        };
        ActivityKind kind = switch (change.change()) {
            case INVITED -> ActivityKind.MEMBER_INVITED;
            case INVITATION_REVOKED -> ActivityKind.INVITATION_REVOKED;
            case JOINED -> ActivityKind.MEMBER_JOINED;
            case ROLE_CHANGED -> ActivityKind.MEMBER_ROLE_CHANGED;
            case REMOVED -> ActivityKind.MEMBER_REMOVED;
        };
        ActivityDetails details = change.change() == TeamService.Change.ROLE_CHANGED
                ? new ActivityDetails.RoleChanged(change.email(), change.previousRole(), change.role())
                : new ActivityDetails.Member(change.email(), change.role());
        inWorkspace(change.tenantId(), () -> record(change.actorId(), kind, subject, details));
    }

    /** A new workspace, in its creation's transaction. */
    void onWorkspaceCreated(@Observes TenancyService.WorkspaceCreated created) {
        inWorkspace(created.tenantId(), () -> record(created.creatorId(), ActivityKind.WORKSPACE_CREATED,
                ActivitySubject.of(ActivitySubject.Type.WORKSPACE, created.tenantId()),
                new ActivityDetails.Named(created.name())));
    }

    private void inWorkspace(String tenantId, Runnable work) {
        if (tenantId.equals(currentTenant.idOrNull())) {
            work.run();
        } else {
            tenantScope.run(tenantId, work);
        }
    }

    /** The entries matching {@code filter}, newest first; {@code before} (an entry id) continues an earlier page. */
    @Transactional
    List<ActivityEntry> find(ActivityFilter filter, ZoneId zone, int limit, UUID before) {
        StringBuilder jpql = new StringBuilder("from ActivityEntry a where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        where(filter, zone, jpql, params);
        if (before != null) {
            jpql.append(" and a.id < :before");
            params.put("before", before);
        }
        var q = em.createQuery(jpql + " order by a.id desc", ActivityEntry.class)
                .setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE)));
        params.forEach(q::setParameter);
        return q.getResultList();
    }

    /** Streams the entries matching {@code filter}, oldest first, to {@code row}; in the caller's transaction. */
    void stream(ActivityFilter filter, ZoneId zone, java.util.function.Consumer<ActivityEntry> row) {
        StringBuilder jpql = new StringBuilder("from ActivityEntry a where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        where(filter, zone, jpql, params);
        var q = em.createQuery(jpql + " order by a.id", ActivityEntry.class)
                .setHint("org.hibernate.fetchSize", 500).setHint("org.hibernate.readOnly", true);
        params.forEach(q::setParameter);
        try (var rows = q.getResultStream()) {
            rows.forEach(a -> {
                row.accept(a);
                em.detach(a);
            });
        }
    }

    private static void where(ActivityFilter f, ZoneId zone, StringBuilder jpql, Map<String, Object> params) {
        if (f.member() != null) {
            jpql.append(" and a.actorUserId = :member");
            params.put("member", f.member());
        }
        if (f.kind() != null) {
            jpql.append(" and a.action = :action");
            params.put("action", f.kind().code);
        }
        Instant from = f.fromInstant(zone);
        if (from != null) {
            jpql.append(" and a.occurredAt >= :from");
            params.put("from", from);
        }
        Instant to = f.toInstantExclusive(zone);
        if (to != null) {
            jpql.append(" and a.occurredAt < :to");
            params.put("to", to);
        }
    }

    /** Whether the workspace's log has the entry {@code id}. */
    @Transactional
    public boolean has(UUID id) {
        return em.createQuery("select count(a) from ActivityEntry a where a.id = :id", Long.class)
                .setParameter("id", id).getSingleResult() > 0;
    }

    /**
     * The people who can be filtered by: everyone who acted in this workspace's log, by their label (e-mail address,
     * or name), sorted by label.
     */
    @Transactional
    public Map<UUID, String> actors() {
        List<UUID> ids = em.createQuery("select distinct a.actorUserId from ActivityEntry a"
                + " where a.actorUserId is not null", UUID.class).getResultList();
        Map<UUID, String> labels = tenancy.userLabels(Set.copyOf(ids));
        Map<UUID, String> sorted = new java.util.LinkedHashMap<>();
        ids.stream().sorted(java.util.Comparator.comparing(id -> labels.getOrDefault(id, id.toString())))
                .forEach(id -> sorted.put(id, labels.getOrDefault(id, id.toString())));
        return sorted;
    }

    /** 400 unless {@code filter}'s member acted in this workspace (an id from another workspace names nobody here). */
    @Transactional
    public void checkMember(ActivityFilter filter) {
        if (filter.member() != null && em.createQuery("select count(a) from ActivityEntry a where a.actorUserId = :m",
                Long.class).setParameter("m", filter.member()).getSingleResult() == 0) {
            throw ApiException.invalid(Map.of("member", "activity.member-unknown"));
        }
    }

    /** The labels (e-mail address or name) of the people who acted in {@code entries}. */
    Map<UUID, TenancyService.Person> actors(List<ActivityEntry> entries) {
        Set<UUID> ids = entries.stream().map(a -> a.actorUserId).filter(Objects::nonNull).collect(Collectors.toSet());
        return ids.isEmpty() ? Map.of() : new HashMap<>(tenancy.people(ids));
    }

    static ActivityDetails details(ActivityEntry e, ActivityKind kind) {
        if (e.details == null) {
            return null;
        }
        try {
            return JSON.readValue(e.details, kind.details);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("activity entry " + e.id + " has unreadable details", ex);
        }
    }
}
