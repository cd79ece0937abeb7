package io.consentcast.optin;

import java.nio.charset.Charset;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Import jobs of the current workspace: accepting an upload and reading a job's progress. An upload is read
 * completely first ({@link CsvUpload}); a file refused as a whole stores nothing. An accepted file is stored
 * in one short transaction (the job, its rows and its queue entry) and applied later by {@link ImportWorker}.
 */
@ApplicationScoped
public class ImportJobs {

    @Inject
    ActivityLog activity;

    /** Rejected rows shown with a job; the counters always count all of them. */
    static final int REPORT_LIMIT = 50_000;

    @Inject
    EntityManager em;

    @Inject
    ListService lists;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ImportConfig config;

    @Inject
    Clock clock;

    /** A row not taken: its number in the file (the header is row 1), the number as written, the reason. */
    public record RejectedRow(int row, String phone, RejectReason code, String reason) {
    }

    /**
     * A job's progress: {@code rows} in the file, {@code processed} of them applied so far, {@code imported}
     * taken, {@code rejectedRows} not taken (listed in {@code rejected} with their reasons).
     */
    public record JobView(UUID id, String list, String fileName, boolean dryRun, ImportState state, int rows,
            int processed, int imported, int rejectedRows, int percent, String failure, Instant createdAt,
            Instant finishedAt, List<RejectedRow> rejected) {
    }

    /** What an upload asks for. {@code charset} null means UTF-8. */
    public record Upload(String listSlug, byte[] bytes, String charset, String fileName, String region,
            boolean dryRun, UUID actorUserId) {
    }

    /**
     * Validates and stores an upload; 404 for an unknown list, 400 ({@link ImportRejected}) for a file that
     * cannot be imported as a whole. Must be called outside a transaction: reading the file takes no database
     * work, and storing it is one transaction of its own.
     */
    public JobView submit(Upload upload) {
        ListView list = lists.bySlug(upload.listSlug()).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        Charset charset = CsvUpload.charset(upload.charset());
        if (upload.bytes().length > config.maxBytes()) {
            throw ImportRejected.file("optin.import-too-large", null, config.maxBytes() / (1024 * 1024));
        }
        List<CsvUpload.Row> rows = CsvUpload.read(upload.bytes(), charset, upload.region(), config.maxRows());
        UUID id = QuarkusTransaction.requiringNew().call(() -> store(list, upload, rows));
        return job(id).orElseThrow();
    }

    private UUID store(ListView list, ImportJobs.Upload upload, List<CsvUpload.Row> rows) {
        Instant now = clock.instant();
        ImportJob job = new ImportJob();
        job.id = Ids.uuid7(clock);
        job.listId = list.id();
        job.fileName = fileName(upload.fileName());
        job.region = upload.region();
        job.dryRun = upload.dryRun();
        job.actorUserId = upload.actorUserId();
        job.state = ImportState.QUEUED;
        job.totalRows = rows.size();
        job.createdAt = now;
        em.persist(job);
        em.flush();
        activity.record(job.actorUserId, ActivityKind.IMPORT_STARTED, ActivitySubject.of(ActivitySubject.Type.IMPORT, job.id),
                new ActivityDetails.ImportStarted(list.name(), job.fileName, job.dryRun, job.totalRows));
        String tenant = currentTenant.id();
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_rows (job_id, seq, tenant_id, row_number,"
                    + " phone, e164, duplicate_row, opted_in_at, source, consent_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int seq = 0;
                for (CsvUpload.Row r : rows) {
                    ps.setObject(1, job.id);
                    ps.setInt(2, ++seq);
                    ps.setString(3, tenant);
                    ps.setInt(4, r.rowNumber());
                    setString(ps, 5, r.phone());
                    setString(ps, 6, r.e164());
                    ps.setBoolean(7, r.duplicate());
                    setString(ps, 8, r.optedInAt());
                    setString(ps, 9, r.source());
                    setString(ps, 10, r.consentText());
                    ps.addBatch();
                    if (seq % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO import_queue (job_id, tenant_id, created_at) VALUES (?, ?, ?)")) {
                ps.setObject(1, job.id);
                ps.setString(2, tenant);
                ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.executeUpdate();
            }
        });
        return job.id;
    }

    /** A job of this workspace with its report; empty for an unknown id or another workspace's job. */
    @Transactional
    public Optional<JobView> job(UUID id) {
        return job(id, REPORT_LIMIT);
    }

    private Optional<JobView> job(UUID id, int reportLimit) {
        ImportJob j = id == null ? null : em.find(ImportJob.class, id);
        if (j == null) {
            return Optional.empty();
        }
        List<RejectedRow> rejected = new ArrayList<>();
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT row_number, phone, reason FROM import_rejections"
                    + " WHERE job_id = ? ORDER BY row_number LIMIT ?")) {
                ps.setObject(1, j.id);
                ps.setInt(2, reportLimit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RejectReason reason = RejectReason.valueOf(rs.getString(3));
                        rejected.add(new RejectedRow(rs.getInt(1), rs.getString(2), reason, reason.text()));
                    }
                }
            }
        });
        return Optional.of(view(j, rejected));
    }

    /** A job of this list, or 404 (also for an id that is no UUID or belongs to another list). */
    @Transactional
    public JobView job(String listSlug, String id) {
        return job(listSlug, id, REPORT_LIMIT);
    }

    /** As {@link #job(String, String)}, with at most {@code reportLimit} rejected rows listed. */
    @Transactional
    public JobView job(String listSlug, String id, int reportLimit) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound("optin.import-not-found");
        }
        ImportJob j = em.find(ImportJob.class, uuid);
        if (j == null || !j.listId.equals(list.id())) {
            throw ApiException.notFound("optin.import-not-found");
        }
        return job(uuid, reportLimit).orElseThrow();
    }

    /** The list's latest jobs, newest first, without their reports. */
    @Transactional
    public List<JobView> recent(String listSlug, int limit) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        return em.createQuery("from ImportJob where listId = :l order by createdAt desc", ImportJob.class)
                .setParameter("l", list.id()).setMaxResults(limit).getResultStream()
                .map(j -> view(j, List.of())).toList();
    }

    private JobView view(ImportJob j, List<RejectedRow> rejected) {
        String slug = lists.byId(j.listId).map(ListView::slug).orElse(null);
        int percent = j.totalRows == 0 ? 100 : (int) (100L * j.processedRows / j.totalRows);
        return new JobView(j.id, slug, j.fileName, j.dryRun, j.state, j.totalRows, j.processedRows, j.importedRows,
                j.rejectedRows, percent, Texts.english(j.failure), j.createdAt, j.finishedAt, rejected);
    }

    /** The file name as evidence: control characters dropped, at most 200 characters. */
    static String fileName(String name) {
        String clean = name == null ? "" : name.replaceAll("[\\p{Cntrl}]", "").strip();
        if (clean.isEmpty()) {
            return "upload.csv";
        }
        return clean.length() <= 200 ? clean : clean.substring(0, 199) + "…";
    }

    private static void setString(PreparedStatement ps, int index, String value) throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
