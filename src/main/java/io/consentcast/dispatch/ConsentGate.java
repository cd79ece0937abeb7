package io.consentcast.dispatch;

import java.util.UUID;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.consent.ConsentAudience.Eligibility;
import io.consentcast.consent.EligibilityRule;

/**
 * The per-recipient decision made immediately before a message is handed to the channel: send (with the
 * consent event that justifies it, to the reader's number) or exclude (with the reason). The rules are
 * {@link EligibilityRule}, evaluated for the whole batch in one statement by {@link ConsentAudience#eligibility};
 * this only turns a reader's answer into the gate's decision.
 */
public final class ConsentGate {

    private ConsentGate() {
    }

    /** {@code reason} null means send, justified by {@code consentEventId}, to {@code to} (digits without "+"). */
    public record Decision(String reason, UUID consentEventId, String to) {

        public boolean send() {
            return reason == null;
        }
    }

    /** A subscriber the batch read did not find (deleted meanwhile) counts as erased. */
    public static Decision decide(Eligibility e) {
        if (e == null) {
            return new Decision(EligibilityRule.ERASED.reason, null, null);
        }
        if (e.reason() != null) {
            return new Decision(e.reason(), null, null);
        }
        return new Decision(null, e.consentEventId(), e.phone().substring(1));
    }
}
