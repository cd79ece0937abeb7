package io.consentcast.dispatch;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.lists.ListPurpose;
import io.consentcast.lists.ListService;
import io.consentcast.whatsapp.ChannelNumbers;
import io.consentcast.whatsapp.MarketingGuard;
import io.consentcast.whatsapp.MarketingGuardChanged;

/**
 * The quality guard's side in dispatch: when {@link MarketingGuard} pauses marketing on a number (RED rating,
 * FLAGGED or RESTRICTED), the issues of the MARKETING lists that send from that number ({@link ChannelNumbers#forList})
 * and are sending (SENDING, PREPARING, BLOCKED after their start, paused by the system) are paused at once, in the
 * same workspace transaction, with the reason; issues on the workspace's other numbers are not touched. An issue that
 * starts concurrently is caught by the gate ({@link DispatchWork#gate}), which asks the guard before every slice. They are held like a pause by a person (no automatic resume): resuming is a
 * deliberate act, refused until an admin resumed marketing on the channel page ({@link IssueLifecycle#resume}),
 * and the preflight blocks new marketing sends meanwhile ({@link Preflight#marketingPaused}).
 */
@ApplicationScoped
public class QualityPauses {

    private static final Logger LOG = Logger.getLogger(QualityPauses.class);

    @Inject
    EntityManager em;

    @Inject
    IssueStore store;

    @Inject
    IssueLifecycle lifecycle;

    @Inject
    ListService lists;

    @Inject
    ChannelNumbers numbers;

    void onGuardChanged(@Observes MarketingGuardChanged change) {
        if (change.allowed()) {
            return; // the issues wait for a person to resume them
        }
        String reason = reason(change.reason());
        List<NewsletterIssue> candidates = em.createQuery("from NewsletterIssue i where i.status in (:sending)"
                + " or (i.status = :blocked and i.startedAt is not null)"
                + " or (i.status = :paused and i.pausedBySystem = true)", NewsletterIssue.class)
                .setParameter("sending", List.of(IssueStatus.SENDING, IssueStatus.PREPARING))
                .setParameter("blocked", IssueStatus.BLOCKED)
                .setParameter("paused", IssueStatus.PAUSED).getResultList();
        for (NewsletterIssue c : candidates) {
            boolean marketing = lists.byId(c.listId).map(l -> l.purpose() == ListPurpose.MARKETING).orElse(false);
            // Only the issues that send from this number (their list's): another number's issues go on.
            if (!marketing || !change.phoneNumberId().equals(numbers.forList(c.listId).numberKey())) {
                continue;
            }
            NewsletterIssue i = store.lock(c.id);
            if (i.status.finished()) {
                continue;
            }
            lifecycle.pauseIssue(i, reason, false);
            LOG.infof("Issue %s of workspace %s paused: marketing paused on number %s (%s)", i.id, change.tenantId(),
                    change.phoneNumberId(), change.reason());
        }
    }

    /** The issue's pause reason (a message code) for the guard's reason. */
    static String reason(MarketingGuard.PauseReason r) {
        return switch (r == null ? MarketingGuard.PauseReason.NUMBER_FLAGGED : r) {
            case QUALITY_RED -> "dispatch.paused-quality-red";
            case NUMBER_FLAGGED -> "dispatch.paused-number-flagged";
            case NUMBER_RESTRICTED -> "dispatch.paused-number-restricted";
        };
    }
}
