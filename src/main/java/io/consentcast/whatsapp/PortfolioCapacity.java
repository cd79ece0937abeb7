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
 * The capacity of the business portfolio a sending number belongs to ({@link ChannelNumbers.SendingNumber#portfolio()}:
 * numbers of one portfolio share its limit, numbers of different portfolios have their own): which recipients are
 * already in the moving 24-hour window (they cost nothing), reserving capacity transactionally before every
 * business-initiated template send (so that instances, issues and other senders sharing a portfolio never together
 * exceed its limit), giving a reservation back when Meta refused the send ({@link #release}), when held-back
 * recipients fit, and the plan for a set of recipients. The limit and the count are {@link MessagingLimits}'; the
 * window is {@code whatsapp_portfolio_sends}.
 */
@ApplicationScoped
public class PortfolioCapacity {

    private static final java.time.Duration WINDOW = MessagingLimits.WINDOW;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    MessagingLimits limits;

    /**
     * Which of {@code recipients} (digits of E.164, as sent) the portfolio of {@code from} reached with a template in
     * the 24 hours before {@code now}: messaging them again uses no capacity.
     */
    public Set<String> inWindow(ChannelNumbers.SendingNumber from, Collection<String> recipients, Instant now) {
        if (recipients.isEmpty()) {
            return Set.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> inWindow(from.portfolio(), recipients, now));
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
     * Reserves the capacity of the portfolio of {@code from} for template sends to {@code recipients} at {@code now},
     * in the caller's transaction, which must commit before the messages are handed to the channel. {@code refs}
     * (same order, or null) name each send ({@code consentcast:delivery:<id>}, ...), so that {@link #release} can give
     * exactly that send's place back when Meta refuses it. The portfolio is locked for the rest of that transaction
     * (a transaction-scoped advisory lock on its account id: a portfolio whose limit was never read has no row to
     * lock), so two instances that both see room for one cannot both take it: the second waits for the first's commit
     * and then counts its reservation. Every granted send is written to {@code whatsapp_portfolio_sends} at once with
     * its reference (a recipient already in the window too, so that each send in flight holds its recipient in the
     * window by a row of its own; the count is per distinct recipient). An unlimited portfolio grants all and writes
     * nothing.
     */
    public Reservation reserve(ChannelNumbers.SendingNumber from, List<String> recipients, List<String> refs,
            Instant now) {
        if (recipients.isEmpty()) {
            return new Reservation(new LinkedHashSet<>(recipients), List.of());
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            String a = from.portfolio();
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
            List<Integer> written = new ArrayList<>();
            List<String> denied = new ArrayList<>();
            for (int k = 0; k < recipients.size(); k++) {
                String r = recipients.get(k);
                if (known.contains(r) || granted.contains(r)) {
                    granted.add(r);
                    written.add(k);
                } else if (room > 0) {
                    room--;
                    granted.add(r);
                    written.add(k);
                } else {
                    denied.add(r);
                }
            }
            if (!written.isEmpty()) {
                String tenant = currentTenant.id();
                String phone = from.numberKey();
                em.unwrap(Session.class).doWork(c -> {
                    try (var ps = c.prepareStatement("insert into whatsapp_portfolio_sends (business_account_id,"
                            + " tenant_id, phone_number_id, recipient, sent_at, send_ref) values (?, ?, ?, ?, ?, ?)")) {
                        for (int k : written) {
                            ps.setString(1, a);
                            ps.setString(2, tenant);
                            ps.setString(3, phone);
                            ps.setString(4, recipients.get(k));
                            ps.setObject(5, SqlValues.ts(now));
                            ps.setString(6, refs == null ? null : refs.get(k));
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
     * Gives back the places reserved for sends Meta never accepted (it refused them, or they never left), in the
     * caller's transaction (the one that records the refusal): only the rows written for these sends
     * ({@code refs}) go. A recipient who got, or is being sent, anything else in the window keeps that send's own row
     * and so stays counted; a send whose outcome is unknown must not be released (it may have reached the reader).
     * Returns how many reservations were removed.
     */
    public int release(Collection<String> refs) {
        if (refs.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            int[] removed = new int[1];
            em.unwrap(Session.class).doWork(c -> {
                try (var ps = c.prepareStatement("delete from whatsapp_portfolio_sends where send_ref = any (?)")) {
                    ps.setArray(1, c.createArrayOf("varchar", refs.toArray()));
                    removed[0] = ps.executeUpdate();
                }
            });
            return removed[0];
        });
    }

    /**
     * When new recipients go if nothing else is sent meanwhile: element {@code j} is the earliest time the
     * {@code (skip + j + 1)}-th new recipient from {@code now} on fits into the window ({@code now} while there is
     * room; then as the portfolio's recipients leave the window, oldest first; beyond one limit's worth, 24 hours
     * after the time of the recipient one limit earlier). All {@code now} for an unlimited portfolio.
     */
    public List<Instant> capacityTimes(ChannelNumbers.SendingNumber from, Instant now, long skip, int count) {
        List<Instant> out = new ArrayList<>(count);
        Optional<String> account = Optional.of(from.portfolio());
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
     * The plan for template sends to {@code recipients} (digits of E.164) starting at {@code now}, against the
     * portfolio of the number they leave from: how many go now (those already in the window and the new ones the remaining capacity
     * allows), how many new ones wait, from when ({@code restFrom}, the first waiting one) and until when
     * ({@code lastAt}, the last one) if nothing else is sent meanwhile. Sending hours are the caller's.
     */
    public record Plan(String businessAccountId, MessagingLimitTier tier, Integer limit, Long remaining,
            long recipients, long alreadyInWindow, long goNow, long later, Instant restFrom, Instant lastAt) {
    }

    public Optional<Plan> plan(ChannelNumbers.SendingNumber from, Collection<String> recipients, Instant now) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> plan(from, recipients.size(), inWindow(from.portfolio(), recipients, now).size(), now));
    }

    /**
     * The same plan from counts: {@code recipients} template sends from {@code from} starting at {@code now},
     * {@code known} of them to recipients its portfolio reached in the 24 hours before {@code now} ({@link #inWindow}).
     */
    public Optional<Plan> plan(ChannelNumbers.SendingNumber from, long recipients, long known, Instant now) {
        String account = from.portfolio();
        return QuarkusTransaction.joiningExisting().call(() -> {
            Usage u = limits.usage(account, now);
            long fresh = recipients - known;
            if (u.remaining() == null || fresh <= u.remaining()) {
                return Optional.of(new Plan(u.businessAccountId(), u.tier(), u.limit(), u.remaining(),
                        recipients, known, recipients, 0, null, null));
            }
            long fitNow = u.remaining();
            List<Instant> first = capacityTimes(from, now, fitNow, 1);
            List<Instant> last = capacityTimes(from, now, fresh - 1, 1);
            return Optional.of(new Plan(u.businessAccountId(), u.tier(), u.limit(), u.remaining(), recipients,
                    known, known + fitNow, fresh - fitNow, first.isEmpty() ? null : first.get(0),
                    last.isEmpty() ? null : last.get(0)));
        });
    }
}
