package io.consentcast.dispatch;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Platform row (no tenant): an issue that needs the engine. START jobs (scheduled, blocked, paused
 * by the system) are claimed by exactly one instance with a lease; RUN jobs (sending) are worked
 * by every instance, and one of them at a time takes the lease for the periodic re-check.
 */
@Entity
@Table(name = "dispatch_jobs")
public class DispatchJob {

    @Id
    @Column(name = "issue_id")
    public UUID issueId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public JobKind kind;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "lease_owner")
    public String leaseOwner;
}
