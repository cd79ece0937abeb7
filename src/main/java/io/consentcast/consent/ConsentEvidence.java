package io.consentcast.consent;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/**
 * Personal evidence of one event (IP address, user agent). Kept outside the hashed event so that
 * erasure and retention can delete it; the event's evidence digest commits to salt, IP and user agent.
 */
@Entity
@Table(name = "consent_evidence")
public class ConsentEvidence {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "subscriber_id", nullable = false)
    public UUID subscriberId;

    @Column(nullable = false)
    public String salt;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;
}
