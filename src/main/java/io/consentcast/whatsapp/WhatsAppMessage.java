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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
