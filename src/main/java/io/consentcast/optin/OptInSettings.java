package io.consentcast.optin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A workspace's stop words, accent colour and logo for its public pages. */
@Entity
@Table(name = "optin_settings")
public class OptInSettings {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    /** Comma-separated, upper case. */
    @Column(name = "stop_words", nullable = false)
    public String stopWords;

    @Column(name = "accent_color", nullable = false)
    public String accentColor;

    @Basic(fetch = FetchType.LAZY)
    public byte[] logo;

    @Column(name = "logo_type")
    public String logoType;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
