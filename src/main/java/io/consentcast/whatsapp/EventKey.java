package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A webhook event already handed over (marketing preference, template status): deduplicates Meta's retries. */
@Entity
@Table(name = "whatsapp_event_keys")
public class EventKey {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "event_key", nullable = false)
    public String key;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
