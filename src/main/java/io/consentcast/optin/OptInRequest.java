package io.consentcast.optin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A pending opt-in: the link between a REQUESTED event and the message that will confirm it. */
@Entity
@Table(name = "optin_requests")
public class OptInRequest {

    public static final String WEB = "WEB";
    public static final String WHATSAPP = "WHATSAPP";
    public static final String SANDBOX = "SANDBOX";

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "subscriber_id", nullable = false)
    public UUID subscriberId;

    @Column(name = "list_id", nullable = false)
    public UUID listId;

    /**
     * WEB: the landing page form (confirmed by "KEYWORD CODE"); WHATSAPP: "START KEYWORD" (confirmed by JA/YES);
     * SANDBOX: "START KEYWORD" written on the sandbox phone, which only the sandbox phone can confirm (the real
     * number's owner never saw its consent text).
     */
    @Column(nullable = false)
    public String via;

    /** The single-use code of a WEB request. */
    public String code;

    @Column(name = "consent_text_id")
    public UUID consentTextId;

    @Column(name = "requested_event_id", nullable = false)
    public UUID requestedEventId;

    /** For WHATSAPP and SANDBOX requests: the id of the START message, part of the evidence. */
    @Column(name = "start_message_id")
    public String startMessageId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "confirmed_event_id")
    public UUID confirmedEventId;

    public boolean openAt(Instant now) {
        return confirmedAt == null && now.isBefore(expiresAt);
    }
}
