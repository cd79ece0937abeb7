package io.consentcast.optin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** When a number last got the help reply, so unknown messages are answered at most once a day. */
@Entity
@Table(name = "optin_help_replies")
public class HelpReply {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "wa_id", nullable = false)
    public String waId;

    @Column(name = "sent_at", nullable = false)
    public Instant sentAt;
}
