package io.consentcast.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

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

    /** The {@link ActivityKind#code}, such as {@code member.invited}, {@code consent-events.exported}. */
    @Column(nullable = false)
    public String action;

    /** Free text of entries written before kinds had typed details; null for newer entries. */
    public String detail;

    @Enumerated(EnumType.STRING)
    @Column(name = "subject_type")
    public ActivitySubject.Type subjectType;

    @Column(name = "subject_id")
    public String subjectId;

    /** The kind's {@link ActivityDetails} record as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String details;
}
