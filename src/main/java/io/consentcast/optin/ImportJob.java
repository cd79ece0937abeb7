package io.consentcast.optin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/**
 * One uploaded import file and its progress. The counters move in the same transaction as the chunk of
 * rows they count, so {@code processedRows} is always the number of rows whose outcome is committed.
 */
@Entity
@Table(name = "import_jobs")
public class ImportJob {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "list_id", nullable = false)
    public UUID listId;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    /** The country of numbers written without country code. */
    @Column(nullable = false)
    public String region;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    @Column(name = "actor_user_id")
    public UUID actorUserId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ImportState state;

    @Column(name = "total_rows", nullable = false)
    public int totalRows;

    @Column(name = "processed_rows", nullable = false)
    public int processedRows;

    @Column(name = "imported_rows", nullable = false)
    public int importedRows;

    @Column(name = "rejected_rows", nullable = false)
    public int rejectedRows;

    /** Chunks that failed with an unexpected error; the job is FAILED after {@link ImportConfig#maxAttempts()}. */
    @Column(nullable = false)
    public int attempts;

    public String failure;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
