package io.consentcast.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/** One immutable version of a list's consent wording (list null: the workspace default). */
@Entity
@Immutable
@Table(name = "consent_texts")
public class ConsentText {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "list_id")
    public UUID listId;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public String language;

    @Column(nullable = false)
    public String text;

    /** Hex SHA-256 of the UTF-8 bytes of {@link #text}. */
    @Column(nullable = false)
    public String sha256;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
