package io.consentcast.dispatch;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A workspace's dispatch settings; a workspace without a row uses the configured defaults. */
@Entity
@Table(name = "dispatch_settings")
public class DispatchSettings {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    /** Messages per second for the workspace's phone number (Meta: 80 by default, up to 1,000). */
    @Column(name = "rate_per_second", nullable = false)
    public int ratePerSecond;

    /** Start of the sending hours, minutes after midnight in the workspace's time zone. */
    @Column(name = "sending_start_minute", nullable = false)
    public int sendingStartMinute;

    /** End of the sending hours (exclusive), minutes after midnight in the workspace's time zone. */
    @Column(name = "sending_end_minute", nullable = false)
    public int sendingEndMinute;

    /** Consent without interaction for this many months expires for sending. */
    @Column(name = "consent_expiry_months", nullable = false)
    public int consentExpiryMonths;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
