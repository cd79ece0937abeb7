package io.consentcast.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/** One line of a workspace's admin activity log: who did what. Append-only. */
@Entity
@Immutable
@Table(name = "activity_log")
public class ActivityEntry {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The member who acted; null for the system. */
    @Column(name = "actor_user_id")
    public UUID actorUserId;

    /** A stable code such as {@code member.invited}, {@code consent-events.exported}. */
    @Column(nullable = false)
    public String action;

    public String detail;
}
