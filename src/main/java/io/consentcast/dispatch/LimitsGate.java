package io.consentcast.dispatch;

import static io.consentcast.shared.SqlValues.literal;
import static io.consentcast.shared.SqlValues.ts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.dispatch.DispatchWork.Row;
import io.consentcast.dispatch.DispatchWork.RunContext;
import io.consentcast.lists.ListPurpose;
import io.consentcast.lists.ListService;
import io.consentcast.whatsapp.MarketingGuard;
import io.consentcast.whatsapp.PortfolioCapacity;

/**
 * What the consent gate ({@link DispatchWork#gate}) asks about Meta's limits for the number a slice leaves from (the
 * issue's list's number, {@link RunContext#from()}), inside the gate's transaction: whether marketing is paused on it
 * for its quality (then the issue pauses with the reason, before anything of the slice is sent), and the capacity of
 * that number's business portfolio (reserved per send, so a refused send can give its own place back,
 * {@link DeliveryOutcomes}).
 */
@ApplicationScoped
public class LimitsGate {

    private static final Logger LOG = Logger.getLogger(LimitsGate.class);

    @Inject
    EntityManager em;

    @Inject
    PortfolioCapacity capacity;

    @Inject
    MarketingGuard guard;

    @Inject
    ListService lists;

    @Inject
    IssueStore store;

    @Inject
    IssueLifecycle lifecycle;

    /** Whether the list is a MARKETING list (its issues are held by the quality guard of their number). */
    boolean marketingList(UUID listId) {
        return lists.byId(listId).map(l -> l.purpose() == ListPurpose.MARKETING).orElse(false);
    }

    /**
     * For a MARKETING list's issue: is marketing paused on its number now? Then the issue is PAUSED with the guard's
     * reason (held like a pause by a person, as {@link QualityPauses} does) and true is returned: the slice is not
     * sent. One small read per slice ({@code whatsapp_number_quality} by number).
     */
    boolean pausedForQuality(RunContext ctx) {
        if (!ctx.marketing()) {
            return false;
        }
        MarketingGuard.MarketingDecision d = guard.marketing(ctx.from().numberKey());
        if (d.allowed()) {
            return false;
        }
        NewsletterIssue i = store.lock(ctx.issueId());
        if (i.status.sends()) {
            lifecycle.pauseIssue(i, QualityPauses.reason(d.reason()), false);
            LOG.infof("Issue %s paused at its gate: marketing paused on number %s (%s)", i.id, ctx.from().numberKey(),
                    d.reason());
        }
        return true;
    }

    /**
     * The portfolio's messaging limit, in the gate's transaction (so the reservation commits before any send):
     * {@link PortfolioCapacity#reserve} for the portfolio of the list's number grants the recipients already in the
     * window and as many new ones as the limit allows, under the portfolio's lock, each send's place named by its
     * delivery ({@link DeliveryCallback}); the rest are removed from {@code passing} (and their decisions) and
     * returned, to wait PENDING until capacity comes back. Meta never sees a send beyond the limit.
     */
    List<Row> reserve(RunContext ctx, List<Row> passing, List<ConsentGate.Decision> decisions, Instant now) {
        if (passing.isEmpty()) {
            return List.of();
        }
        PortfolioCapacity.Reservation r = capacity.reserve(ctx.from(),
                decisions.stream().map(ConsentGate.Decision::to).toList(),
                passing.stream().map(row -> DeliveryCallback.of(row.id())).toList(), now);
        if (r.denied().isEmpty()) {
            return List.of();
        }
        List<Row> waiting = new ArrayList<>();
        for (int k = passing.size() - 1; k >= 0; k--) {
            if (!r.granted().contains(decisions.get(k).to())) {
                waiting.add(0, passing.remove(k));
                decisions.remove(k);
            }
        }
        return waiting;
    }

    /**
     * When rows the limit holds back may be claimed again: behind the issue's rows already waiting, each at the
     * time the portfolio has room for it ({@link PortfolioCapacity#capacityTimes}), so the waiting rows come back a
     * few at a time as recipients leave the window rather than all at once.
     */
    List<Instant> notBefore(RunContext ctx, int count, Instant now) {
        long ahead = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM issue_deliveries WHERE issue_id = ?1"
                + " AND state = " + literal(DeliveryState.PENDING) + " AND next_attempt_at > ?2")
                .setParameter(1, ctx.issueId()).setParameter(2, ts(now)).getSingleResult()).longValue();
        List<Instant> times = capacity.capacityTimes(ctx.from(), now, ahead, count);
        List<Instant> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            Instant t = k < times.size() ? times.get(k) : now.plus(Duration.ofHours(24));
            out.add(t.isAfter(now) ? t : now.plusSeconds(1));
        }
        return out;
    }

    /**
     * Gives back the places reserved for deliveries whose send Meta never accepted (refused, or never left), in the
     * caller's transaction (the one recording that outcome). Never for an unknown outcome.
     */
    void release(List<Long> deliveryIds) {
        if (!deliveryIds.isEmpty()) {
            capacity.release(deliveryIds.stream().map(DeliveryCallback::of).toList());
        }
    }
}
