package io.consentcast.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/** A workspace checkpoint: chained over the chain heads recorded at that moment. Append-only. */
@Entity
@Immutable
@Table(name = "ledger_checkpoints")
public class LedgerCheckpoint {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(nullable = false)
    public long seq;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** How many subscriber heads this checkpoint recorded. */
    @Column(nullable = false)
    public long heads;

    @Column(name = "heads_digest", nullable = false)
    public String headsDigest;

    @Column(name = "prev_hash", nullable = false)
    public String prevHash;

    @Column(nullable = false)
    public String hash;
}
