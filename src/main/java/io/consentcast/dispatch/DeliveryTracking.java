package io.consentcast.dispatch;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.whatsapp.MessageStatusUpdate;

/**
 * Applies WhatsApp status webhooks to deliveries, inside the workspace transaction the event is
 * fired in. Statuses only move forward (accepted &lt; sent &lt; delivered &lt; read); a failed status
 * turns the delivery FAILED with Meta's error code, unless it was already delivered or read.
 */
@ApplicationScoped
public class DeliveryTracking {

    static final Map<String, Integer> RANK = Map.of("accepted", 0, "sent", 1, "delivered", 2, "read", 3);

    @Inject
    EntityManager em;

    void onStatus(@Observes MessageStatusUpdate update) {
        if (update.providerMessageId() == null || update.status() == null) {
            return;
        }
        List<IssueDelivery> rows = em.createQuery("from IssueDelivery where providerMessageId = :m",
                IssueDelivery.class).setParameter("m", update.providerMessageId()).getResultList();
        for (IssueDelivery d : rows) {
            apply(d, update);
        }
    }

    static void apply(IssueDelivery d, MessageStatusUpdate u) {
        String status = u.status().toLowerCase(java.util.Locale.ROOT);
        java.time.Instant at = u.timestamp();
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
