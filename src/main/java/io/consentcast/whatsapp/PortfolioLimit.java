package io.consentcast.whatsapp;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The last known messaging limit of a business portfolio, by WhatsApp Business Account id (platform table):
 * when it was read and from where, and the last failed attempt to read it (the value is kept then).
 */
@Entity
@Table(name = "whatsapp_portfolio_limits")
public class PortfolioLimit {

    /** Where a limit was learnt. */
    public enum Source {
        GRAPH, WEBHOOK
    }

    @Id
    @Column(name = "business_account_id")
    public String businessAccountId;

    @Enumerated(EnumType.STRING)
    @Column(name = "limit_tier", nullable = false)
    public MessagingLimitTier tier;

    @Column(name = "max_recipients")
    public Integer maxRecipients;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Source source;

    @Column(name = "read_at", nullable = false)
    public Instant readAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_error")
    public String lastError;
}
