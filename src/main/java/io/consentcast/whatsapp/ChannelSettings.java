package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A workspace's WhatsApp channel: sandbox or Cloud API with its number and (encrypted) token. */
@Entity
@Table(name = "whatsapp_channel_settings")
public class ChannelSettings {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "channel_type", nullable = false)
    public ChannelType type;

    @Column(name = "phone_number_id")
    public String phoneNumberId;

    @Column(name = "business_account_id")
    public String businessAccountId;

    @Column(name = "display_phone_number")
    public String displayPhoneNumber;

    /** {@link SecretBox} ciphertext; never leaves the service layer. */
    @Column(name = "access_token_enc")
    public String accessTokenEnc;

    @Column(name = "stopped_at")
    public Instant stoppedAt;

    @Column(name = "stopped_reason")
    public String stoppedReason;

    @Column(name = "stopped_code")
    public Integer stoppedCode;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean cloudApi() {
        return type == ChannelType.CLOUD_API;
    }

    /**
     * These settings sending from another of the workspace's numbers (same token and state): a copy, never
     * persisted, for {@link ChannelService#senderFor(String)}.
     */
    ChannelSettings sendingFrom(String number, String businessAccount, String display) {
        ChannelSettings s = new ChannelSettings();
        s.id = id;
        s.tenantId = tenantId;
        s.type = type;
        s.phoneNumberId = number;
        s.businessAccountId = businessAccount;
        s.displayPhoneNumber = display;
        s.accessTokenEnc = accessTokenEnc;
        s.stoppedAt = stoppedAt;
        s.stoppedReason = stoppedReason;
        s.stoppedCode = stoppedCode;
        s.updatedAt = updatedAt;
        return s;
    }

    /** Settings of a workspace that never saved any: the sandbox. Not persisted. */
    static ChannelSettings sandboxDefault(String tenantId) {
        ChannelSettings s = new ChannelSettings();
        s.tenantId = tenantId;
        s.type = ChannelType.SANDBOX;
        return s;
    }
}
