package io.consentcast.whatsapp;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Platform routing of webhooks: Meta's phone-number id (and its WABA) to the workspace that configured it. */
@Entity
@Table(name = "whatsapp_phone_routes")
public class PhoneRoute {

    @Id
    @Column(name = "phone_number_id")
    public String phoneNumberId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "business_account_id")
    public String businessAccountId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
