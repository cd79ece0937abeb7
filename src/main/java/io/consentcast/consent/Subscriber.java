package io.consentcast.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.TenantId;

/**
 * One WhatsApp number in a workspace. The number lives only here (never in ledger events), so
 * erasure clears it without touching the ledger; {@link #phoneHmac} remains. The row also holds
 * the head of the subscriber's event chain ({@link #lastSeq}, {@link #lastHash}); appends lock it.
 * Updates write only the changed columns, so a change made without the lock (the WhatsApp id)
 * can never write back a stale chain head.
 */
@Entity
@DynamicUpdate
@Table(name = "subscribers")
public class Subscriber {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "public_id", nullable = false, updatable = false)
    public String publicId;

    /** E.164, e.g. +4915123456789; null after erasure. */
    public String phone;

    @Column(name = "phone_hmac", nullable = false, updatable = false)
    public String phoneHmac;

    @Column(name = "wa_id")
    public String waId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "erased_at")
    public Instant erasedAt;

    @Column(name = "last_seq", nullable = false)
    public long lastSeq;

    @Column(name = "last_hash", nullable = false)
    public String lastHash;

    public boolean erased() {
        return erasedAt != null;
    }
}
