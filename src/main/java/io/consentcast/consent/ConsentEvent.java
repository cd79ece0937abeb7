package io.consentcast.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/**
 * One fact in the consent ledger. Inserted once, never changed. {@link #hash} is SHA-256 over the
 * event's content and {@link #prevHash}, the hash of the subscriber's previous event; see
 * {@link LedgerHash} and docs/LEDGER.md for the exact serialization.
 */
@Entity
@Immutable
@Table(name = "consent_events")
public class ConsentEvent {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "subscriber_id", nullable = false)
    public UUID subscriberId;

    @Column(nullable = false)
    public long seq;

    @Column(name = "list_id")
    public UUID listId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ConsentEventType type;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public EventSource source;

    @Column(name = "source_detail")
    public String sourceDetail;

    @Column(name = "consent_text_id")
    public UUID consentTextId;

    @Column(name = "consent_text_sha256")
    public String consentTextSha256;

    @Column(name = "evidence_digest")
    public String evidenceDigest;

    @Column(name = "wa_message_id")
    public String waMessageId;

    @Column(name = "wa_timestamp")
    public Instant waTimestamp;

    @Column(name = "actor_user_id")
    public UUID actorUserId;

    public String reason;

    @Column(name = "prev_hash", nullable = false)
    public String prevHash;

    @Column(nullable = false)
    public String hash;
}
