package io.consentcast.lists;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A subscriber list of one workspace, with its public landing page. */
@Entity
@Table(name = "lists")
public class MailingList {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(nullable = false)
    public String slug;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(nullable = false)
    public String language;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ListPurpose purpose;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ListStatus status;

    /** The word readers use in START/STOP messages, upper case. */
    @Column(nullable = false)
    public String keyword;

    @Column(name = "imprint_url")
    public String imprintUrl;

    @Column(name = "privacy_url")
    public String privacyUrl;

    /** Meta's phone number id of the number the list sends from; null: the workspace's default number. */
    @Column(name = "sending_phone_number_id")
    public String sendingPhoneNumberId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
