package io.consentcast.whatsapp;

import java.time.Duration;
import java.util.Set;

/**
 * Meta's error codes, mapped to what Consentcast does about them. Reference:
 * WhatsApp Cloud API error codes (see docs/whatsapp-cloud-api.md in the shared reference).
 */
public final class MetaErrors {

    public static final int THROUGHPUT = 130429;
    public static final int PAIR_RATE = 131056;
    public static final int SPAM_RATE = 131048;
    public static final int MARKETING_LIMIT = 131049;
    public static final int MARKETING_STOPPED = 131050;
    public static final int UNDELIVERABLE = 131026;
    public static final int OUTSIDE_WINDOW = 131047;
    public static final int PARAMETER_COUNT = 132000;
    public static final int TEMPLATE_MISSING = 132001;
    public static final int TOKEN_INVALID = 190;
    public static final int POLICY_BLOCK = 368;

    private static final Set<Integer> RETRY = Set.of(THROUGHPUT, 4, 80007, 1, 2, 131000, 131016, 133004);
    private static final Set<Integer> STOP = Set.of(TOKEN_INVALID, POLICY_BLOCK, SPAM_RATE, 131031, 131042, 133010);
    private static final Set<Integer> RECIPIENT = Set.of(UNDELIVERABLE, MARKETING_STOPPED, MARKETING_LIMIT, 131021);
    private static final Duration RATE_PAUSE = Duration.ofSeconds(60);
    private static final Duration PAIR_PAUSE = Duration.ofSeconds(6);

    private MetaErrors() {
    }

    /**
     * Classifies an error answer. Codes not listed fall back on the HTTP status: 429 and a 5xx with Meta's error
     * object retry later (Meta answered: not sent); a 5xx without Meta's error object came from something in front
     * of the API that may have passed the request on, so its outcome is unknown; other 4xx are permanent for the issue.
     * 131049 (Meta's per-user marketing limit) is PERMANENT_RECIPIENT for this send, with a retry
     * no sooner than 24 hours, and is NOT an opt-out (no suppression).
     */
    public static SendResult.Failed classify(int httpStatus, Integer code, String message, String details) {
        if (code != null) {
            if (RETRY.contains(code)) {
                return new SendResult.Failed(ErrorClass.RETRY_LATER, code, message, details, RATE_PAUSE, false);
            }
            if (code == PAIR_RATE) {
                return new SendResult.Failed(ErrorClass.DELAY_RECIPIENT, code, message, details, PAIR_PAUSE, false);
            }
            if (RECIPIENT.contains(code)) {
                return new SendResult.Failed(ErrorClass.PERMANENT_RECIPIENT, code, message, details,
                        code == MARKETING_LIMIT ? Duration.ofHours(24) : null, code == MARKETING_STOPPED);
            }
            if (STOP.contains(code)) {
                return new SendResult.Failed(ErrorClass.STOP_CHANNEL, code, message, details, null, false);
            }
        }
        if (httpStatus >= 500 && code == null) {
            return unknownOutcome("HTTP " + httpStatus + (message == null ? "" : ": " + message));
        }
        if (httpStatus >= 500 || httpStatus == 429) {
            return new SendResult.Failed(ErrorClass.RETRY_LATER, code, message, details, RATE_PAUSE, false);
        }
        return new SendResult.Failed(ErrorClass.PERMANENT_ISSUE, code, message, details, null, false);
    }

    /** The request never left (connection refused, DNS, no pooled connection in time): retry later, nothing was sent. */
    public static SendResult.Failed notSent(String what) {
        return new SendResult.Failed(ErrorClass.RETRY_LATER, null, what, null, null, false);
    }

    /** The request was written and no definite answer came back: Meta may have accepted it ({@link ErrorClass#OUTCOME_UNKNOWN}). */
    public static SendResult.Failed unknownOutcome(String what) {
        return new SendResult.Failed(ErrorClass.OUTCOME_UNKNOWN, null, what, null, null, false);
    }

    /** The reason shown to the workspace's admins when Meta's error stops the channel. */
    public static String stopReason(Integer code, String message) {
        String text = switch (code == null ? -1 : code) {
            case TOKEN_INVALID -> "The access token is invalid or expired. Save a new token.";
            case POLICY_BLOCK -> "WhatsApp temporarily blocked this account for policy violations.";
            case SPAM_RATE -> "WhatsApp blocked messages as spam. Review your content and audience.";
            default -> "WhatsApp refused to send for this account.";
        };
        return text + (message == null ? "" : " (" + code + ": " + message + ")");
    }
}
