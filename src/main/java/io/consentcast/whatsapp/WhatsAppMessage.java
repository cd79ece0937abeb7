package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** The last known state of a message we sent, by provider message id (wamid). */
@Entity
@Table(name = "whatsapp_messages")
public class WhatsAppMessage {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "provider_message_id", nullable = false)
    public String providerMessageId;

    public String recipient;

    /** accepted, sent, delivered, read or failed. */
    @Column(nullable = false)
    public String status;

    @Column(name = "status_at")
    public Instant statusAt;

    @Column(name = "error_code")
    public Integer errorCode;

    @Column(name = "error_title")
    public String errorTitle;

    /** The last status's pricing object ({@link MessagePricing}); null until a status brought one. */
    @Column(name = "pricing_billable")
    public Boolean pricingBillable;

    @Column(name = "pricing_category")
    public String pricingCategory;

    @Column(name = "pricing_model")
    public String pricingModel;

    @Column(name = "pricing_type")
    public String pricingType;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The stored pricing, or null when no status brought one. */
    public MessagePricing pricing() {
        return pricingBillable == null && pricingCategory == null && pricingModel == null && pricingType == null ? null
                : new MessagePricing(pricingBillable, pricingCategory, pricingModel, pricingType);
    }
}
