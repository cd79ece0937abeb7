package io.consentcast.optin;

import static io.consentcast.shared.SqlValues.ts;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.scheduler.Scheduled;

/**
 * Applies stored import jobs chunk by chunk ({@code consentcast.imports.chunk-size} rows per transaction).
 * Instances claim jobs from the platform table {@code import_queue} with {@code FOR UPDATE SKIP LOCKED} and a
 * lease, as dispatch claims {@code dispatch_jobs}. Each chunk runs inside {@code TenantScope.call} (row-level
 * security applies), locks the job's queue row, checks that this instance still holds the lease, applies the
 * rows, writes the rejections, moves the job's counters and renews the lease, all in one transaction. A job
 * whose instance died is claimed again when its lease has expired and resumes after its last committed chunk:
 * no row is applied twice, none is skipped.
 */
@ApplicationScoped
public class ImportWorker {

    @Inject
    ActivityLog activity;

    @Inject
    io.consentcast.lists.ListService lists;

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);

    /** What a chunk transaction ended with. */
    enum Step {
        /** More rows to apply. */
        CONTINUE,
        /** The job is finished (or gone). */
        FINISHED,
        /** Another instance holds the job now: stop without touching it. */
        LEASE_LOST
    }

    record JobRef(UUID jobId, String tenantId) {
    }

    @Inject
    EntityManager em;

    @Inject
    TenantScope scope;

    @Inject
    ImportService rules;

    @Inject
    ImportConfig config;

    @Inject
    Clock clock;

    private volatile String owner;

    String owner() {
        if (owner == null) {
            owner = config.instanceId().orElse("i-" + UUID.randomUUID().toString().substring(0, 8));
        }
        return owner;
    }

    @Scheduled(every = "${consentcast.imports.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "imports")
    void tick() {
        runOnce();
    }

    /** Claims the jobs that are free (or whose lease expired) and works each of them to its end. */
    public void runOnce() {
        String me = owner();
        for (JobRef job : claim(me, 5)) {
            work(job, me);
        }
    }

    /** Takes up to {@code limit} jobs nobody holds, oldest first, with a lease for {@code owner}. */
    List<JobRef> claim(String owner, int limit) {
        return scope.platform(() -> {
            Instant now = clock.instant();
            List<JobRef> out = new ArrayList<>();
            em.unwrap(Session.class).doWork(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT job_id, tenant_id FROM import_queue"
                        + " WHERE lease_until IS NULL OR lease_until < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setObject(1, ts(now));
                    ps.setInt(2, limit);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new JobRef(rs.getObject(1, UUID.class), rs.getString(2)));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE import_queue SET lease_owner = ?, lease_until = ? WHERE job_id = ?")) {
                    for (JobRef job : out) {
                        ps.setString(1, owner);
                        ps.setObject(2, ts(now.plus(config.lease())));
                        ps.setObject(3, job.jobId());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            });
            return out;
        });
    }

    /** Applies chunks of a claimed job until it is finished, the lease is lost, or a chunk fails. */
    void work(JobRef job, String owner) {
        while (true) {
            Step step;
            try {
                step = scope.call(job.tenantId(), () -> chunk(job, owner));
            } catch (RuntimeException e) {
                LOG.warnf(e, "Import job %s: a chunk failed", job.jobId());
                scope.run(job.tenantId(), () -> failed(job, owner));
                return;
            }
            if (step != Step.CONTINUE) {
                return;
            }
        }
    }

    /** One chunk in the caller's transaction (inside the job's workspace). */
    Step chunk(JobRef job, String owner) {
        if (!holdsLease(job.jobId(), owner)) {
            return Step.LEASE_LOST;
        }
        ImportJob j = em.find(ImportJob.class, job.jobId());
        if (j == null || j.state.finished()) {
            deleteQueueEntry(job.jobId());
            return Step.FINISHED;
        }
        Instant now = clock.instant();
        if (j.state == ImportState.QUEUED) {
            j.state = ImportState.RUNNING;
            j.startedAt = now;
        }
        long t0 = System.nanoTime();
        List<CsvUpload.Row> rows = ImportRows.load(em, j.id, j.processedRows, config.chunkSize());
        em.flush();
        long t1 = System.nanoTime();
        ImportService.Outcome outcome = rules.apply(j.listId, rows, j.dryRun, j.fileName, j.actorUserId);
        LOG.debugf("Import job %s: %d rows read in %d ms, applied in %d ms", job.jobId(), rows.size(),
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        // The ledger's bulk append clears the persistence context: read the job again (its queue row stays locked).
        j = em.find(ImportJob.class, job.jobId());
        ImportRows.reject(em, j.id, job.tenantId(), outcome.rejected());
        j.processedRows += rows.size();
        j.importedRows += outcome.imported();
        j.rejectedRows += outcome.rejected().size();
        if (rows.isEmpty() || j.processedRows >= j.totalRows) {
            finish(j, ImportState.DONE, null);
            return Step.FINISHED;
        }
        renewLease(job.jobId(), now);
        return Step.CONTINUE;
    }

    /**
     * After an unexpected error (the chunk's transaction rolled back): counts the attempt and lets the job be
     * claimed again, or gives it up as FAILED after {@code max-attempts}. Rows committed before stay applied.
     */
    private void failed(JobRef job, String owner) {
        if (!holdsLease(job.jobId(), owner)) {
            return;
        }
        ImportJob j = em.find(ImportJob.class, job.jobId());
        if (j == null) {
            deleteQueueEntry(job.jobId());
            return;
        }
        j.attempts++;
        if (j.attempts >= config.maxAttempts()) {
            finish(j, ImportState.FAILED, "optin.import-failed");
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE import_queue SET lease_owner = NULL, lease_until = NULL WHERE job_id = ?")) {
                ps.setObject(1, job.jobId());
                ps.executeUpdate();
            }
        });
    }

    private void finish(ImportJob j, ImportState state, String failure) {
        j.state = state;
        j.failure = failure;
        j.finishedAt = clock.instant();
        String list = lists.byId(j.listId).map(io.consentcast.lists.ListService.ListView::name).orElse(null);
        activity.record(j.actorUserId, ActivityKind.IMPORT_FINISHED, ActivitySubject.of(ActivitySubject.Type.IMPORT, j.id),
                new ActivityDetails.ImportFinished(list, j.fileName, j.dryRun, state == ImportState.FAILED, j.totalRows,
                        j.importedRows, j.rejectedRows));
        ImportRows.deleteAll(em, j.id);
        deleteQueueEntry(j.id);
    }

    /** Locks the job's queue row for this transaction and tells whether {@code owner} holds its lease. */
    private boolean holdsLease(UUID jobId, String owner) {
        boolean[] held = { false };
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT lease_owner FROM import_queue WHERE job_id = ? FOR UPDATE")) {
                ps.setObject(1, jobId);
                try (var rs = ps.executeQuery()) {
                    held[0] = rs.next() && owner.equals(rs.getString(1));
                }
            }
        });
        return held[0];
    }

    private void renewLease(UUID jobId, Instant now) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE import_queue SET lease_until = ? WHERE job_id = ?")) {
                ps.setObject(1, ts(now.plus(config.lease())));
                ps.setObject(2, jobId);
                ps.executeUpdate();
            }
        });
    }

    private void deleteQueueEntry(UUID jobId) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM import_queue WHERE job_id = ?")) {
                ps.setObject(1, jobId);
                ps.executeUpdate();
            }
        });
    }
}
