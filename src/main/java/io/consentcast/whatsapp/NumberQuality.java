package io.consentcast.whatsapp;

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
 * The last known quality of a workspace's number (rating and status from Graph, flags from webhooks) and the
 * marketing pause it caused: set when the quality turns bad, cleared only by an admin's acknowledgement.
 */
@Entity
@Table(name = "whatsapp_number_quality")
public class NumberQuality {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "phone_number_id", nullable = false)
    public String phoneNumberId;

    /** GREEN, YELLOW, RED, NA/UNKNOWN: as Meta reports it. */
    @Column(name = "quality_rating")
    public String qualityRating;

    /** CONNECTED, FLAGGED, RESTRICTED, ...: the number's status as Meta reports it. */
    @Column(name = "number_status")
    public String numberStatus;

    /** A FLAGGED quality webhook not yet followed by UNFLAGGED. */
    @Column(nullable = false)
    public boolean flagged;

    @Column(name = "last_event")
    public String lastEvent;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "paused_at")
    public Instant pausedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "pause_reason")
    public MarketingGuard.PauseReason pauseReason;

    @Column(name = "acknowledged_by")
    public String acknowledgedBy;

    @Column(name = "acknowledged_at")
    public Instant acknowledgedAt;
}
