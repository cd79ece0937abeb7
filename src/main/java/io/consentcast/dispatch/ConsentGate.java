package io.consentcast.dispatch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.consent.ConsentAudience.Recipient;
import io.consentcast.consent.ConsentStatus;

/**
 * The per-recipient decision made immediately before a message is handed to the channel: send
 * (with the consent event that justifies it) or exclude (with the reason). Pure, so every rule is
 * tested on its own.
 */
public final class ConsentGate {

    public static final String ERASED = ConsentAudience.ERASED;
    public static final String NOT_CONFIRMED = ConsentAudience.NOT_CONFIRMED;
    public static final String WITHDRAWN = ConsentAudience.WITHDRAWN;
    public static final String SUPPRESSED = ConsentAudience.SUPPRESSED;
    public static final String EXPIRED = ConsentAudience.EXPIRED;
    public static final String SANDBOX_ONLY = ConsentAudience.SANDBOX_ONLY;
    public static final String INVALID_NUMBER = "invalid-number";

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private ConsentGate() {
    }

    /** {@code reason} null means send, justified by {@code consentEventId}. */
    public record Decision(String reason, UUID consentEventId, String to) {

        public boolean send() {
            return reason == null;
        }
    }

    /**
     * {@code liveChannel}: the workspace sends through the Cloud API, so a consent confirmed only through the
     * sandbox does not count (the same rule as {@link ConsentAudience#DECISIONS}).
     */
    public static Decision decide(Recipient r, Instant now, int expiryMonths, boolean liveChannel) {
        if (r == null || r.erased()) {
            return exclude(ERASED);
        }
        if (r.suppressed() || r.state() == ConsentStatus.SUPPRESSED) {
            return exclude(SUPPRESSED);
        }
        if (r.state() == ConsentStatus.WITHDRAWN) {
            return exclude(WITHDRAWN);
        }
        if (r.state() == ConsentStatus.EXPIRED) {
            return exclude(EXPIRED);
        }
        if (r.state() != ConsentStatus.CONFIRMED || r.lastEventId() == null) {
            return exclude(NOT_CONFIRMED);
        }
        if (liveChannel && r.sandboxConfirmed()) {
            return exclude(SANDBOX_ONLY);
        }
        Instant cutoff = now.atOffset(ZoneOffset.UTC).minusMonths(expiryMonths).toInstant();
        if (r.lastInteraction() == null || r.lastInteraction().isBefore(cutoff)) {
            return exclude(EXPIRED);
        }
        if (r.phone() == null || !E164.matcher(r.phone()).matches()) {
            return exclude(INVALID_NUMBER);
        }
        return new Decision(null, r.lastEventId(), r.phone().substring(1));
    }

    private static Decision exclude(String reason) {
        return new Decision(reason, null, null);
    }
}
