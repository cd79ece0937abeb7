package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A message a user sent to the workspace's number; its unique provider id deduplicates webhook retries. */
@Entity
@Table(name = "whatsapp_inbound_messages")
public class InboundMessageRecord {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "provider_message_id", nullable = false)
    public String providerMessageId;

    @Column(name = "from_wa_id", nullable = false)
    public String fromWaId;

    @Column(name = "profile_name")
    public String profileName;

    @Column(name = "message_type", nullable = false)
    public String type;

    /** Text body, button text or interactive reply title: what the user sees in the chat. */
    public String text;

    @Column(name = "sent_at", nullable = false)
    public Instant sentAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
