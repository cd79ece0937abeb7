package io.consentcast.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TeamService;
import io.consentcast.tenancy.TenantScope;

/**
 * The admin activity log of the current workspace. Entries are written in the transaction of the
 * action they describe, so an action and its log entry are committed (or rolled back) together.
 */
@ApplicationScoped
public class ActivityLog {

    public static final int MAX_PAGE = 500;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    Clock clock;

    public record Entry(UUID id, Instant occurredAt, UUID actorUserId, String actorEmail, String action,
            String detail) {
    }

    /** Records an action of {@code actorUserId} (null: the system) in the current workspace. */
    @Transactional
    public void record(UUID actorUserId, String action, String detail) {
        ActivityEntry e = new ActivityEntry();
        e.id = Ids.uuid7(clock);
        e.occurredAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        e.actorUserId = actorUserId;
        e.action = action;
        e.detail = detail;
        em.persist(e);
    }

    /** Team changes (invitations, joins, role changes, removals), in the team change's transaction. */
    void onTeamChanged(@Observes TeamService.TeamChanged change) {
        if (change.tenantId().equals(currentTenant.idOrNull())) {
            record(change.actorId(), change.action(), change.detail());
        } else {
            tenantScope.run(change.tenantId(), () -> record(change.actorId(), change.action(), change.detail()));
        }
    }

    /** The newest entries first; {@code before} (an entry id) continues an earlier page. */
    @Transactional
    public List<Entry> list(int limit, UUID before) {
        String where = before == null ? "" : " where a.id < :before";
        var q = em.createQuery("select a, u.email from ActivityEntry a left join AppUser u on u.id = a.actorUserId"
                + where + " order by a.id desc", Object[].class)
                .setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE)));
        if (before != null) {
            q.setParameter("before", before);
        }
        return q.getResultList().stream().map(r -> {
            ActivityEntry a = (ActivityEntry) r[0];
            return new Entry(a.id, a.occurredAt, a.actorUserId, (String) r[1], a.action, a.detail);
        }).toList();
    }
}
