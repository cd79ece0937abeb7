package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A message template of the workspace's WhatsApp account, as last synced (or from a status webhook). */
@Entity
@Table(name = "whatsapp_templates")
public class WhatsAppTemplate {

    public static final String APPROVED = "APPROVED";

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "provider_template_id")
    public String providerTemplateId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String language;

    public String category;

    @Column(nullable = false)
    public String status;

    /** The components as Meta returns them (JSON array). */
    @Column(nullable = false)
    public String components;

    @Column(name = "body_text")
    public String bodyText;

    @Column(name = "parameter_count", nullable = false)
    public int parameterCount;

    /** JSON array of the body placeholders in order, e.g. ["1","2"] or ["first_name"]. */
    @Column(nullable = false)
    public String placeholders;

    /** JSON array of the quick-reply button texts in order. */
    @Column(name = "quick_replies", nullable = false)
    public String quickReplies;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "synced_at", nullable = false)
    public Instant syncedAt;

    public boolean usable() {
        return APPROVED.equals(status);
    }
}
