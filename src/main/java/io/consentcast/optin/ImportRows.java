package io.consentcast.optin;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import org.hibernate.Session;

/** The JDBC work on {@code import_rows} and {@code import_rejections}, in the caller's transaction. */
final class ImportRows {

    private ImportRows() {
    }

    /** Up to {@code limit} rows of the job after the first {@code done}, in file order. */
    static List<CsvUpload.Row> load(EntityManager em, UUID jobId, int done, int limit) {
        List<CsvUpload.Row> rows = new ArrayList<>(limit);
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT row_number, phone, e164, duplicate_row, opted_in_at,"
                    + " source, consent_text FROM import_rows WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setObject(1, jobId);
                ps.setInt(2, done);
                ps.setInt(3, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new CsvUpload.Row(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                                rs.getString(5), rs.getString(6), rs.getString(7)));
                    }
                }
            }
        });
        return rows;
    }

    static void reject(EntityManager em, UUID jobId, String tenantId, List<ImportService.Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_rejections (job_id, row_number,"
                    + " tenant_id, phone, reason) VALUES (?, ?, ?, ?, ?)")) {
                for (ImportService.Rejection r : rejections) {
                    ps.setObject(1, jobId);
                    ps.setInt(2, r.row());
                    ps.setString(3, tenantId);
                    if (r.phone() == null) {
                        ps.setNull(4, Types.VARCHAR);
                    } else {
                        ps.setString(4, r.phone());
                    }
                    ps.setString(5, r.reason().name());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** The file's rows are only needed while the job runs. */
    static void deleteAll(EntityManager em, UUID jobId) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM import_rows WHERE job_id = ?")) {
                ps.setObject(1, jobId);
                ps.executeUpdate();
            }
        });
    }
}
