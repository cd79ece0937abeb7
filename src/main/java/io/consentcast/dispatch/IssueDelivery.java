package io.consentcast.dispatch;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** The decision and outcome for one (issue, subscriber). Created in bulk when sending starts. */
@Entity
@Table(name = "issue_deliveries")
public class IssueDelivery {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "issue_id", nullable = false)
    public UUID issueId;

    @Column(name = "subscriber_id", nullable = false)
    public UUID subscriberId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeliveryState state;

    public String reason;

    public String detail;

    @Column(name = "consent_event_id")
    public UUID consentEventId;

    @Column(name = "provider_message_id")
    public String providerMessageId;

    @Column(name = "provider_status")
    public String providerStatus;

    @Column(name = "error_code")
    public Integer errorCode;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "sending_at")
    public Instant sendingAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "read_at")
    public Instant readAt;

    /** Meta's {@code pricing.billable} from the status webhooks; null until a status with pricing arrived. */
    @Column(name = "pricing_billable")
    public Boolean pricingBillable;

    @Column(name = "pricing_category")
    public String pricingCategory;

    /** What the rate card gives for a billable message to the recipient's market in its category. */
    @Column(name = "pricing_amount")
    public java.math.BigDecimal pricingAmount;

    @Column(name = "pricing_currency")
    public String pricingCurrency;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
