package io.consentcast.tenancy;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A workspace: one publisher's team and data. A platform table (no tenant_id of its own). */
@Entity
@Table(name = "tenants")
public class Tenant {

    @Id
    public String id;

    @Column(nullable = false, unique = true)
    public String slug;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String locale;

    @Column(nullable = false)
    public String timezone;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
