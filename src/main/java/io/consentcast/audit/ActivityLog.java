package io.consentcast.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;

import io.consentcast.shared.CsvCells;
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
    io.consentcast.tenancy.TenancyService tenancy;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    Clock clock;

    /** One entry; {@code actor} is the user's e-mail address, or their name when the account has none. */
    public record Entry(UUID id, Instant occurredAt, UUID actorUserId, String actor, String action,
            String detail) {
    }

    /** Records an action of {@code actorUserId} (null: the system) in the current workspace. */
    @Transactional
    public void record(UUID actorUserId, String action, String detail) {
        ActivityEntry e = new ActivityEntry();
        e.id = Ids.uuid7(clock);
        e.occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
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

    /**
     * Writes the whole activity log of workspace {@code tenantId} as CSV (oldest first, header row),
     * streamed in a transaction of its own; for a {@code StreamingOutput}.
     */
    public void writeCsv(String tenantId, OutputStream out) {
        tenantScope.run(tenantId, () -> {
            try {
                var writer = new BufferedWriter(new OutputStreamWriter(out,
                        StandardCharsets.UTF_8));
                var csv = CSVFormat.RFC4180.builder()
                        .setHeader("id", "occurred_at", "actor_user_id", "actor", "action", "detail").get()
                        .print(writer);
                // A workspace has few people: their labels are looked up once each while streaming.
                java.util.Map<UUID, String> actors = new java.util.HashMap<>();
                try (var rows = em.createQuery("from ActivityEntry a order by a.id", ActivityEntry.class)
                        .setHint("org.hibernate.fetchSize", 500).setHint("org.hibernate.readOnly", true)
                        .getResultStream()) {
                    for (ActivityEntry a : (Iterable<ActivityEntry>) rows::iterator) {
                        String actor = a.actorUserId == null ? "" : actors.computeIfAbsent(a.actorUserId,
                                id -> tenancy.userLabels(java.util.Set.of(id)).getOrDefault(id, ""));
                        csv.printRecord(CsvCells.neutralise(a.id), CsvCells.neutralise(a.occurredAt),
                                CsvCells.neutralise(a.actorUserId), CsvCells.neutralise(actor),
                                CsvCells.neutralise(a.action), CsvCells.neutralise(a.detail));
                        em.detach(a);
                    }
                }
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The newest entries first; {@code before} (an entry id) continues an earlier page. */
    @Transactional
    public List<Entry> list(int limit, UUID before) {
        String where = before == null ? "" : " where a.id < :before";
        var q = em.createQuery("from ActivityEntry a" + where + " order by a.id desc", ActivityEntry.class)
                .setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE)));
        if (before != null) {
            q.setParameter("before", before);
        }
        List<ActivityEntry> page = q.getResultList();
        java.util.Map<UUID, String> actors = tenancy.userLabels(page.stream().map(a -> a.actorUserId)
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
        return page.stream().map(a -> new Entry(a.id, a.occurredAt, a.actorUserId,
                a.actorUserId == null ? null : actors.get(a.actorUserId), a.action, a.detail)).toList();
    }
}
