package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/**
 * A Cloud API number a workspace connected (proven with Meta by {@link ChannelOwnership}, routed in
 * {@link PhoneRoute}). The workspace's default number is the one its {@link ChannelSettings} name.
 */
@Entity
@Table(name = "whatsapp_numbers")
public class WhatsAppNumber {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "phone_number_id", nullable = false)
    public String phoneNumberId;

    @Column(name = "business_account_id", nullable = false)
    public String businessAccountId;

    @Column(name = "display_phone_number")
    public String displayPhoneNumber;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
