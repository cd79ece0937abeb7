package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.consentcast.shared.SqlValues;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.whatsapp.MessagingLimits.Usage;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The current workspace's portfolio capacity for dispatch: which recipients are already in the moving 24-hour
 * window (they cost nothing), reserving capacity transactionally before template sends (so that instances and
 * issues sharing a portfolio never together exceed its limit), when held-back recipients fit, and the plan for a
 * set of recipients. The limit and the count are {@link MessagingLimits}'; the window is
 * {@code whatsapp_portfolio_sends}.
 */
@ApplicationScoped
public class PortfolioCapacity {

    private static final java.time.Duration WINDOW = MessagingLimits.WINDOW;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    MessagingLimits limits;

    /**
     * Which of {@code recipients} (digits of E.164, as sent) the current workspace's portfolio reached with a template
     * in the 24 hours before {@code now}: messaging them again uses no capacity.
     */
    public Set<String> inWindow(Collection<String> recipients, Instant now) {
        Optional<String> account = limits.account();
        if (account.isEmpty() || recipients.isEmpty()) {
            return Set.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> inWindow(account.get(), recipients, now));
    }

    private Set<String> inWindow(String account, Collection<String> recipients, Instant now) {
        Set<String> out = new HashSet<>();
        em.unwrap(Session.class).doWork(c -> {
            try (var ps = c.prepareStatement("select distinct recipient from whatsapp_portfolio_sends"
                    + " where business_account_id = ? and sent_at > ? and recipient = any (?)")) {
                ps.setString(1, account);
                ps.setObject(2, SqlValues.ts(now.minus(WINDOW)));
                ps.setArray(3, c.createArrayOf("varchar", recipients.toArray()));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        });
        return out;
    }

    /**
     * What a capacity reservation gave: {@code granted} may be sent now (already in the window, or new and within
     * the limit), {@code denied} must wait (new, beyond the limit), in the order asked.
     */
    public record Reservation(Set<String> granted, List<String> denied) {
    }

    /**
     * Reserves the portfolio's capacity for template sends to {@code recipients} at {@code now}, in the caller's
     * transaction, which must commit before the messages are handed to the channel. The portfolio is locked for
     * the rest of that transaction (a transaction-scoped advisory lock on its account id: a portfolio whose limit
     * was never read has no row to lock), so two instances that both see room for one cannot both take it: the
     * second waits for the first's commit and then counts its reservation. A granted new recipient is written to
     * {@code whatsapp_portfolio_sends} at once (the channel writes it again when Meta accepts; the count is per
     * distinct recipient), so it counts for everyone from this commit on. An unlimited portfolio grants all.
     */
    public Reservation reserve(List<String> recipients, Instant now) {
        Optional<String> account = limits.account();
        if (account.isEmpty() || recipients.isEmpty()) {
            return new Reservation(new LinkedHashSet<>(recipients), List.of());
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            String a = account.get();
            if (limits.tier(a).unlimited()) {
                return new Reservation(new LinkedHashSet<>(recipients), List.of()); // nothing to count or lock
            }
            em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 17))").setParameter(1,
                    "whatsapp_portfolio:" + a).getSingleResult();
            Usage u = limits.usage(a, now);
            if (u.remaining() == null) {
                return new Reservation(new LinkedHashSet<>(recipients), List.of());
            }
            Set<String> known = inWindow(a, recipients, now);
            long room = u.remaining();
            Set<String> granted = new LinkedHashSet<>();
            List<String> fresh = new ArrayList<>();
            List<String> denied = new ArrayList<>();
            for (String r : recipients) {
                if (known.contains(r) || granted.contains(r)) {
                    granted.add(r);
                } else if (room > 0) {
                    room--;
                    granted.add(r);
                    fresh.add(r);
                } else {
                    denied.add(r);
                }
            }
            if (!fresh.isEmpty()) {
                String tenant = currentTenant.id();
                String number = channelSettings.view().phoneNumberId();
                String phone = number != null ? number : WebhookProcessor.SANDBOX_PHONE_PREFIX + tenant;
                em.unwrap(Session.class).doWork(c -> {
                    try (var ps = c.prepareStatement("insert into whatsapp_portfolio_sends (business_account_id,"
                            + " tenant_id, phone_number_id, recipient, sent_at) values (?, ?, ?, ?, ?)")) {
                        for (String r : fresh) {
                            ps.setString(1, a);
                            ps.setString(2, tenant);
                            ps.setString(3, phone);
                            ps.setString(4, r);
                            ps.setObject(5, SqlValues.ts(now));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                });
            }
            return new Reservation(granted, denied);
        });
    }

    /**
     * When new recipients go if nothing else is sent meanwhile: element {@code j} is the earliest time the
     * {@code (skip + j + 1)}-th new recipient from {@code now} on fits into the window ({@code now} while there is
     * room; then as the portfolio's recipients leave the window, oldest first; beyond one limit's worth, 24 hours
     * after the time of the recipient one limit earlier). All {@code now} for an unlimited portfolio.
     */
    public List<Instant> capacityTimes(Instant now, long skip, int count) {
        Optional<String> account = limits.account();
        List<Instant> out = new ArrayList<>(count);
        if (account.isEmpty()) {
            return out;
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Usage u = limits.usage(account.get(), now);
            if (u.remaining() == null || u.limit() == null || u.limit() <= 0) {
                for (int j = 0; j < count; j++) {
                    out.add(now);
                }
                return out;
            }
            long room = u.remaining();
            long reached = u.reachedInWindow();
            long limit = u.limit();
            long[] idx = new long[count];
            int[] cycles = new int[count];
            long min = Long.MAX_VALUE;
            long max = -1;
            for (int j = 0; j < count; j++) {
                long k = skip + j;
                int c = 0;
                while (k >= room + reached && k >= limit) {
                    k -= limit;
                    c++;
                }
                idx[j] = k - room;
                cycles[j] = c;
                if (idx[j] >= 0) {
                    min = Math.min(min, idx[j]);
                    max = Math.max(max, idx[j]);
                }
            }
            List<Instant> leaves = max < 0 ? List.of() : leaveTimes(account.get(), now, min, (int) (max - min + 1));
            for (int j = 0; j < count; j++) {
                Instant base;
                if (idx[j] < 0) {
                    base = now;
                } else {
                    int at = (int) (idx[j] - min);
                    base = at < leaves.size() ? leaves.get(at) : now.plus(WINDOW);
                }
                out.add(base.plus(WINDOW.multipliedBy(cycles[j])));
            }
            return out;
        });
    }

    /** When the portfolio's recipients leave the window, oldest first, from the {@code offset}-th on. */
    private List<Instant> leaveTimes(String account, Instant now, long offset, int count) {
        List<?> rows = em.createNativeQuery("select max(sent_at) + interval '24 hours' as leaves"
                + " from whatsapp_portfolio_sends where business_account_id = ?1 and sent_at > ?2"
                + " group by recipient order by leaves offset ?3 limit ?4")
                .setParameter(1, account).setParameter(2, SqlValues.ts(now.minus(WINDOW)))
                .setParameter(3, offset).setParameter(4, count).getResultList();
        return rows.stream().map(MessagingLimits::toInstant).toList();
    }

    /**
     * The plan for template sends to {@code recipients} (digits of E.164) starting at {@code now}, against the current
     * workspace's portfolio: how many go now (those already in the window and the new ones the remaining capacity
     * allows), how many new ones wait, from when ({@code restFrom}, the first waiting one) and until when
     * ({@code lastAt}, the last one) if nothing else is sent meanwhile. Sending hours are the caller's.
     */
    public record Plan(String businessAccountId, MessagingLimitTier tier, Integer limit, Long remaining,
            long recipients, long alreadyInWindow, long goNow, long later, Instant restFrom, Instant lastAt) {
    }

    public Optional<Plan> plan(Collection<String> recipients, Instant now) {
        Optional<String> account = limits.account();
        if (account.isEmpty()) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting()
                .call(() -> plan(recipients.size(), inWindow(account.get(), recipients, now).size(), now));
    }

    /**
     * The same plan from counts: {@code recipients} template sends starting at {@code now}, {@code known} of them to
     * recipients the portfolio reached in the 24 hours before {@code now} ({@link #inWindow}).
     */
    public Optional<Plan> plan(long recipients, long known, Instant now) {
        Optional<String> account = limits.account();
        if (account.isEmpty()) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Usage u = limits.usage(account.get(), now);
            long fresh = recipients - known;
            if (u.remaining() == null || fresh <= u.remaining()) {
                return Optional.of(new Plan(u.businessAccountId(), u.tier(), u.limit(), u.remaining(),
                        recipients, known, recipients, 0, null, null));
            }
            long fitNow = u.remaining();
            List<Instant> first = capacityTimes(now, fitNow, 1);
            List<Instant> last = capacityTimes(now, fresh - 1, 1);
            return Optional.of(new Plan(u.businessAccountId(), u.tier(), u.limit(), u.remaining(), recipients,
                    known, known + fitNow, fresh - fitNow, first.isEmpty() ? null : first.get(0),
                    last.isEmpty() ? null : last.get(0)));
        });
    }
}
