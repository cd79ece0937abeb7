package io.consentcast.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A workspace's ledger settings; absent means the defaults of {@link LedgerSettingsService}. */
@Entity
@Table(name = "ledger_settings")
public class LedgerSettings {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    /** Whether IP address and user agent are stored as evidence at all. */
    @Column(name = "record_client_data", nullable = false)
    public boolean recordClientData;

    /** Whether IP addresses are always stored truncated (IPv4 /24, IPv6 /48). */
    @Column(name = "truncate_ip", nullable = false)
    public boolean truncateIp;

    /** Months after which evidence of withdrawn consents is deleted. */
    @Column(name = "retention_months", nullable = false)
    public int retentionMonths;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by")
    public UUID updatedBy;
}
