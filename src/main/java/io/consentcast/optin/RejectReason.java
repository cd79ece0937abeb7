package io.consentcast.optin;

/** Why an import did not take a row; {@link #text()} is the API's English text, pages show {@code optin:reject_reason} in the user's language. */
public enum RejectReason {
    INVALID_PHONE("invalid phone number"),
    DUPLICATE("duplicate in this file"),
    BAD_DATE("opted_in_at is not a date (use 2024-05-31)"),
    ERASED("erased earlier: stays suppressed"),
    SUPPRESSED("suppressed: stays suppressed"),
    WITHDRAWN("withdrew consent earlier: not imported"),
    ALREADY_PENDING("already pending"),
    ALREADY_CONFIRMED("already confirmed"),
    ALREADY_IMPORTED("already imported");

    private final String text;

    RejectReason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
