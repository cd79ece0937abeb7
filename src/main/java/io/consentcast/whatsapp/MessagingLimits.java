package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The messaging limit of the current workspace's business portfolio and its use: how many unique recipients the
 * portfolio reached with business-initiated (template) messages in the moving 24 hours, across all its numbers,
 * workspaces and issues ({@code whatsapp_portfolio_sends}, written when Meta accepts a template send), how many new
 * recipients may still be reached now, and when capacity comes back. A portfolio is known by its WhatsApp
 * Business Account id; the sandbox is a portfolio of its own with the configured sandbox limit.
 * <p>
 * A recipient reached in the window does not count again when messaged again: {@link #remaining} is the number
 * of <em>new</em> recipients. A recipient leaves the window 24 hours after the last template sent to them.
 * Reserving capacity before sends and planning them: {@link PortfolioCapacity}.
 */
@ApplicationScoped
public class MessagingLimits {

    private static final Logger LOG = Logger.getLogger(MessagingLimits.class);
    static final Duration WINDOW = Duration.ofHours(24);
    static final String SANDBOX_ACCOUNT_PREFIX = "sandbox-";

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    WhatsAppConfig config;

    @Inject
    Clock clock;

    /** Where the limit shown comes from. */
    public enum LimitSource {
        /** Read from the Graph API (channel saved, connection tested, periodic refresh). */
        GRAPH,
        /** A {@code business_capability_update} or {@code phone_number_quality_update} webhook. */
        WEBHOOK,
        /** The sandbox's configured limit (no Meta account). */
        SANDBOX,
        /** Never learnt yet: Meta's limit of a new portfolio (250) is assumed. */
        ASSUMED
    }

    /**
     * The portfolio's limit and its use at {@code at}. {@code limit} null means unlimited, and then
     * {@code remaining} is null too. {@code nextCapacityAt} is null unless the limit is reached.
     * {@code readAt} is when the limit was learnt; {@code lastAttemptAt}/{@code lastError} name the last failed
     * attempt to read it (the value shown is then the last one read).
     */
    public record Usage(String businessAccountId, MessagingLimitTier tier, Integer limit, LimitSource source,
            Instant readAt, Instant lastAttemptAt, String lastError, long reachedInWindow, Long remaining,
            Instant nextCapacityAt, Instant at) {
    }

    /** The current workspace's portfolio limit and use now, or empty when its Cloud API channel names no account. */
    public Optional<Usage> usage() {
        return usage(clock.instant());
    }

    public Optional<Usage> usage(Instant now) {
        return account().map(a -> usage(a, now));
    }

    /** How many new recipients the current workspace's portfolio may still reach at {@code now}; null: unlimited. */
    public Long remaining(Instant now) {
        return usage(now).map(Usage::remaining).orElse(0L);
    }

    /** When the next recipient leaves the window (capacity for one more), or {@code now} when there is room. */
    public Instant nextCapacityAt(Instant now) {
        return capacityAt(now, 1);
    }

    /**
     * The earliest time at or after {@code now} when {@code needed} new recipients fit into the window (if nothing
     * else is sent meanwhile): {@code now} when they fit now, else the moment enough of the oldest recipients have
     * left the window. Null when they never fit (more than the whole limit) or no account is connected.
     */
    public Instant capacityAt(Instant now, long needed) {
        Optional<String> account = account();
        if (account.isEmpty()) {
            return null;
        }
        Usage u = usage(account.get(), now);
        if (u.remaining() == null || u.remaining() >= needed) {
            return now;
        }
        if (needed > u.limit()) {
            return null;
        }
        long mustLeave = needed - u.remaining();
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<?> rows = em.createNativeQuery("select max(sent_at) + interval '24 hours' as leaves"
                    + " from whatsapp_portfolio_sends where business_account_id = ?1 and sent_at > ?2"
                    + " group by recipient order by leaves offset ?3 limit 1")
                    .setParameter(1, u.businessAccountId()).setParameter(2, SqlValues.ts(now.minus(WINDOW)))
                    .setParameter(3, mustLeave - 1).getResultList();
            return rows.isEmpty() ? now : toInstant(rows.get(0));
        });
    }

    Usage usage(String account, Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery("select count(distinct recipient),"
                    + " min(sent_at) from whatsapp_portfolio_sends where business_account_id = ?1 and sent_at > ?2")
                    .setParameter(1, account).setParameter(2, SqlValues.ts(now.minus(WINDOW))).getSingleResult();
            long reached = ((Number) row[0]).longValue();
            PortfolioLimit stored = em.find(PortfolioLimit.class, account);
            MessagingLimitTier tier;
            LimitSource source;
            Instant readAt = null;
            if (account.startsWith(SANDBOX_ACCOUNT_PREFIX)) {
                tier = config.limits().sandboxTier();
                source = LimitSource.SANDBOX;
            } else if (stored == null) {
                tier = MessagingLimitTier.TIER_250;
                source = LimitSource.ASSUMED;
            } else {
                tier = stored.tier;
                source = LimitSource.valueOf(stored.source.name());
                readAt = stored.readAt;
            }
            Long remaining = tier.unlimited() ? null : Math.max(0, tier.maxRecipients() - reached);
            Instant next = null;
            if (remaining != null && remaining == 0) {
                Object oldestLast = em.createNativeQuery("select min(last) from (select max(sent_at) as last"
                        + " from whatsapp_portfolio_sends where business_account_id = ?1 and sent_at > ?2"
                        + " group by recipient) r").setParameter(1, account)
                        .setParameter(2, SqlValues.ts(now.minus(WINDOW))).getSingleResult();
                next = oldestLast == null ? now : toInstant(oldestLast).plus(WINDOW);
            }
            return new Usage(account, tier, tier.maxRecipients(), source, readAt,
                    stored == null ? null : stored.lastAttemptAt, stored == null ? null : stored.lastError, reached,
                    remaining, next, now);
        });
    }

    /** The portfolio's tier as {@link #usage} reports it, without counting its recipients. */
    MessagingLimitTier tier(String account) {
        if (account.startsWith(SANDBOX_ACCOUNT_PREFIX)) {
            return config.limits().sandboxTier();
        }
        PortfolioLimit stored = em.find(PortfolioLimit.class, account);
        return stored == null ? MessagingLimitTier.TIER_250 : stored.tier;
    }

    /** The account the current workspace sends through: its WABA, the sandbox's own, or empty. */
    Optional<String> account() {
        // Only a Cloud API channel has an account id (the save requires one); the sandbox has none.
        String waba = channelSettings.view().businessAccountId();
        return Optional.of(waba != null ? waba : sandboxAccount(currentTenant.id()));
    }

    static String sandboxAccount(String tenantId) {
        return SANDBOX_ACCOUNT_PREFIX + tenantId;
    }

    /**
     * Records a business-initiated message Meta accepted (joining the caller's transaction, or in its own).
     * Platform table: the portfolio's count spans its workspaces.
     */
    void recordSend(String tenantId, String businessAccountId, String phoneNumberId, String recipient) {
        Runnable insert = () -> em.createNativeQuery("insert into whatsapp_portfolio_sends (business_account_id,"
                + " tenant_id, phone_number_id, recipient, sent_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, businessAccountId).setParameter(2, tenantId).setParameter(3, phoneNumberId)
                .setParameter(4, recipient).setParameter(5, SqlValues.ts(clock.instant())).executeUpdate();
        if (QuarkusTransaction.isActive()) {
            insert.run();
        } else {
            tenantScope.platform(() -> {
                insert.run();
                return null;
            });
        }
    }

    /**
     * Records several business-initiated messages Meta accepted from one number, as one batched insert in its own
     * platform transaction (the dispatch recorder counts a batch of accepted sends at once instead of one
     * transaction per message).
     */
    void recordSends(String tenantId, String businessAccountId, String phoneNumberId, List<String> recipients) {
        java.time.OffsetDateTime at = SqlValues.ts(clock.instant());
        tenantScope.platform(() -> {
            em.unwrap(org.hibernate.Session.class).doWork(c -> {
                try (var ps = c.prepareStatement("insert into whatsapp_portfolio_sends (business_account_id,"
                        + " tenant_id, phone_number_id, recipient, sent_at) values (?, ?, ?, ?, ?)")) {
                    for (String r : recipients) {
                        ps.setString(1, businessAccountId);
                        ps.setString(2, tenantId);
                        ps.setString(3, phoneNumberId);
                        ps.setString(4, r);
                        ps.setObject(5, at);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            });
            return null;
        });
    }

    /** Stores a limit Meta reported (Graph read or webhook), with the time it was learnt; platform transaction. */
    void learn(String businessAccountId, MessagingLimitTier tier, PortfolioLimit.Source source) {
        tenantScope.platform(() -> em.createNativeQuery("insert into whatsapp_portfolio_limits (business_account_id,"
                + " limit_tier, max_recipients, source, read_at) values (?1, ?2, ?3, ?4, ?5)"
                + " on conflict (business_account_id) do update set limit_tier = excluded.limit_tier,"
                + " max_recipients = excluded.max_recipients, source = excluded.source, read_at = excluded.read_at,"
                + " last_attempt_at = null, last_error = null").setParameter(1, businessAccountId)
                .setParameter(2, tier.name()).setParameter(3, tier.maxRecipients()).setParameter(4, source.name())
                .setParameter(5, SqlValues.ts(clock.instant())).executeUpdate());
        LOG.debugf("Messaging limit of business account %s: %s (%s)", businessAccountId, tier, source);
    }

    /** A failed attempt to read the limit: the last value stays, the attempt and its error are noted. */
    void readFailed(String businessAccountId, String error) {
        tenantScope.platform(() -> {
            PortfolioLimit l = em.find(PortfolioLimit.class, businessAccountId);
            if (l != null) {
                l.lastAttemptAt = clock.instant();
                l.lastError = ChannelSettingsService.truncate(error == null ? "unknown error" : error, 500);
            }
            return null;
        });
    }

    /** Forgets sends that left the window long ago (kept for a day more, for support questions). */
    int prune(Instant now) {
        return tenantScope.platform(() -> em.createNativeQuery(
                "delete from whatsapp_portfolio_sends where sent_at < ?1")
                .setParameter(1, SqlValues.ts(now.minus(WINDOW.multipliedBy(2)))).executeUpdate());
    }

    static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("Not a timestamp: " + o);
    }
}
