package io.consentcast.consent;

import static io.consentcast.shared.SqlValues.literal;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Who may be sent to, written once: the exclusion rules in the order they are asked, each a SQL condition over
 * one reader's consent facts for one list. The first rule that holds names the reason the reader is left out;
 * none holding means send. {@link ConsentAudience} turns the table into one SQL {@code CASE}, evaluated for a
 * whole list when an issue starts ({@link ConsentAudience#DECISIONS}, the rules {@link #atStart}) and for a
 * batch of readers immediately before their sends ({@link ConsentAudience#eligibility}, every rule).
 *
 * <p>The facts, as columns of the row {@code r}: {@code erased} (the subscriber was erased), {@code state}
 * (the list's consent state, or the "all lists" one when the reader has none for the list), {@code suppressed},
 * {@code last_event_id} (the event that justifies a send), {@code sandbox_confirmed} (confirmed only through
 * the sandbox), {@code last_interaction} (the later of the state's {@code since} and the reader's last WhatsApp,
 * sandbox or landing-page event) and {@code phone}. Parameters: {@code :liveChannel} (the workspace sends
 * through the Cloud API) and, at the send, {@code :cutoff} (now minus the workspace's consent expiry).
 */
public enum EligibilityRule {

    ERASED("erased", "r.erased", true),
    SUPPRESSED("suppressed", "r.suppressed OR r.state = " + literal(ConsentStatus.SUPPRESSED), true),
    WITHDRAWN("withdrawn", "r.state = " + literal(ConsentStatus.WITHDRAWN), true),
    EXPIRED("expired", "r.state = " + literal(ConsentStatus.EXPIRED), true),
    NOT_CONFIRMED("not-confirmed", "r.state IS DISTINCT FROM " + literal(ConsentStatus.CONFIRMED)
            + " OR r.last_event_id IS NULL", true),
    /**
     * Confirmed only through the sandbox (which plays Meta's part in a test workspace) while the workspace sends
     * through the Cloud API: nobody proved control of the real number, so such readers are not sent to until
     * they confirm on WhatsApp.
     */
    SANDBOX_ONLY("sandbox-only-consent", ":liveChannel AND r.sandbox_confirmed", true),
    /**
     * No interaction for longer than the workspace's consent expiry. Asked only at the send: it needs the
     * ledger's latest interaction per reader (too costly for a whole list at the start) and the send's time.
     */
    LAPSED("expired", "r.last_interaction IS NULL OR r.last_interaction < :cutoff", false),
    /** Not an E.164 number: "+", then 7 to 15 digits, the first not 0 (asked at the send, after every consent rule). */
    INVALID_NUMBER("invalid-number",
            "r.phone IS NULL OR r.phone !~ '^\\+[1-9][0-9]*$' OR length(r.phone) NOT BETWEEN 8 AND 16", false);

    /** The reason recorded on an excluded delivery (two rules may share one, e.g. {@code expired}). */
    public final String reason;
    final String condition;
    /** Asked when an issue starts; the rules asked at the start come first, so both decisions agree. */
    public final boolean atStart;

    EligibilityRule(String reason, String condition, boolean atStart) {
        this.reason = reason;
        this.condition = condition;
        this.atStart = atStart;
    }

    /** The SQL {@code CASE} over the row {@code r}: the first rule's reason, or NULL (send). */
    static String decision(boolean startOnly) {
        return Arrays.stream(values()).filter(x -> x.atStart || !startOnly)
                .map(x -> "WHEN " + x.condition + " THEN '" + x.reason + "'")
                .collect(Collectors.joining(" ", "CASE ", " END"));
    }
}
