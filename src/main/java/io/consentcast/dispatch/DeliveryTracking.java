package io.consentcast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.consentcast.whatsapp.CostEstimates;
import io.consentcast.whatsapp.MessagePricing;
import io.consentcast.whatsapp.MessageStatusUpdate;
import io.consentcast.whatsapp.PricingCategory;

/**
 * Applies WhatsApp status webhooks to deliveries, inside the workspace transaction the event is
 * fired in. A status finds its delivery by the wamid, or, when the wamid is unknown to us (the send's
 * answer was lost, its instance died, or the webhook overtook the recorder), by the callback data the
 * message carried ({@link DeliveryCallback}). A status for a delivery not yet known as SENT proves Meta
 * accepted the message: it becomes SENT with the wamid (from SENDING, AWAITING or FAILED
 * {@code outcome-unknown}; from PENDING or CLAIMED too, so that it is never sent again). Statuses only
 * move forward (accepted &lt; sent &lt; delivered &lt; read); a failed status turns the delivery FAILED
 * with Meta's error code, unless it was already delivered or read.
 */
@ApplicationScoped
public class DeliveryTracking {

    static final Map<String, Integer> RANK = Map.of("accepted", 0, "sent", 1, "delivered", 2, "read", 3);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    CostEstimates costs;

    void onStatus(@Observes MessageStatusUpdate update) {
        if (update.status() == null) {
            return;
        }
        List<IssueDelivery> rows = update.providerMessageId() == null ? List.of()
                : em.createQuery("from IssueDelivery where providerMessageId = :m", IssueDelivery.class)
                        .setParameter("m", update.providerMessageId()).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .getResultList();
        if (rows.isEmpty()) {
            OptionalLong named = DeliveryCallback.parse(update.callbackData());
            if (named.isPresent()) {
                rows = em.createQuery("from IssueDelivery where id = :id", IssueDelivery.class)
                        .setParameter("id", named.getAsLong()).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .getResultList();
            }
        }
        for (IssueDelivery d : rows) {
            reconcile(d, update, clock.instant());
            apply(d, update);
            price(d, update);
        }
    }

    /**
     * Statuses the channel already had when the recorder wrote the wamids (webhooks that overtook it),
     * applied to the deliveries just recorded SENT (in the caller's workspace transaction).
     */
    void applyAll(List<MessageStatusUpdate> known) {
        for (MessageStatusUpdate u : known) {
            for (IssueDelivery d : em.createQuery("from IssueDelivery where providerMessageId = :m",
                    IssueDelivery.class).setParameter("m", u.providerMessageId())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
                apply(d, u);
                price(d, u);
            }
        }
    }

    /**
     * The status's {@code pricing} object (per-message pricing): whether Meta bills the message and its category,
     * and for a billable one the rate card's price for the recipient's market. The last status with pricing wins
     * (Meta repeats the same object on sent, delivered and read).
     */
    void price(IssueDelivery d, MessageStatusUpdate u) {
        MessagePricing p = u.pricing();
        if (p == null || p.billable() == null) {
            return;
        }
        d.pricingBillable = p.billable();
        d.pricingCategory = p.category() == null ? null : DispatchWork.truncate(p.category(), 64);
        d.pricingAmount = null;
        d.pricingCurrency = null;
        PricingCategory category = CostEstimates.category(p.category());
        if (p.billable() && category != null && u.recipient() != null) {
            CostEstimates.Estimate e = costs.estimate(List.of(u.recipient()), category);
            if (!e.markets().isEmpty()) {
                d.pricingAmount = e.markets().get(0).rate();
                d.pricingCurrency = e.currency();
            }
        }
    }

    /** A status for a delivery whose send we could not confirm: Meta accepted it, so it is SENT with that wamid. */
    static void reconcile(IssueDelivery d, MessageStatusUpdate u, Instant now) {
        boolean unconfirmed = DeliveryState.OPEN.contains(d.state) || (d.state == DeliveryState.FAILED
                && (DispatchWork.OUTCOME_UNKNOWN.equals(d.reason) || DispatchWork.RETRIES_EXHAUSTED.equals(d.reason)));
        if (!unconfirmed || u.providerMessageId() == null) {
            return;
        }
        d.state = DeliveryState.SENT;
        d.providerMessageId = u.providerMessageId();
        d.providerStatus = "accepted";
        d.reason = null;
        d.errorCode = null;
        d.detail = null;
        d.claimedBy = null;
        d.leaseUntil = null;
        d.sentAt = u.timestamp() != null ? u.timestamp() : now;
        d.updatedAt = now;
    }

    static void apply(IssueDelivery d, MessageStatusUpdate u) {
        String status = u.status().toLowerCase(Locale.ROOT);
        Instant at = u.timestamp();
        if ("failed".equals(status)) {
            if (d.state == DeliveryState.SENT && rank(d.providerStatus) < RANK.get("delivered")) {
                MessageStatusUpdate.StatusError e = u.errors() == null || u.errors().isEmpty() ? null : u.errors().get(0);
                d.state = DeliveryState.FAILED;
                d.providerStatus = "failed";
                d.reason = "meta-" + (e == null ? "error" : e.code());
                d.errorCode = e == null ? null : e.code();
                d.detail = e == null || e.title() == null ? null : DispatchWork.truncate(e.title(), 500);
                d.updatedAt = at == null ? d.updatedAt : at;
            }
            return;
        }
        Integer r = RANK.get(status);
        if (r == null || "failed".equals(d.providerStatus)) {
            return;
        }
        if (r >= RANK.get("delivered") && d.deliveredAt == null) {
            d.deliveredAt = at;
        }
        if (r >= RANK.get("read") && d.readAt == null) {
            d.readAt = at;
        }
        if (r > rank(d.providerStatus)) {
            d.providerStatus = status;
        }
    }

    private static int rank(String status) {
        return status == null ? -1 : RANK.getOrDefault(status, -1);
    }
}
