package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A verified webhook payload (or a sandbox-made one), stored before it is processed. Platform table. */
@Entity
@Table(name = "whatsapp_webhook_inbox")
public class InboxEntry {

    public static final String PENDING = "PENDING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    /** Signed, but its content can never be processed: kept with its {@link #parkReason}, never retried. */
    public static final String PARKED = "PARKED";
    public static final String SOURCE_META = "meta";
    public static final String SOURCE_SANDBOX = "sandbox";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String source;

    /** The raw body as received (UTF-8). */
    @Column(nullable = false)
    public String payload;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "processed_at")
    public Instant processedAt;

    @Column(name = "last_error")
    public String lastError;

    /** Order of arrival (a database sequence). */
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** The sender (phone number id and WhatsApp id) whose rows are processed one at a time, in order; null: none. */
    @Column(name = "order_key")
    public String orderKey;

    @Enumerated(EnumType.STRING)
    @Column(name = "park_reason")
    public ParkReason parkReason;

    /** The workspace a parked payload was routed to, when its phone number id is known. */
    @Column(name = "tenant_id")
    public String tenantId;
}
