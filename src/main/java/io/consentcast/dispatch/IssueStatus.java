package io.consentcast.dispatch;

/** The life of a newsletter issue; see docs/DISPATCH.md for the transitions. */
public enum IssueStatus {
    DRAFT, SCHEDULED, BLOCKED, SENDING, PAUSED, CANCELLED, DONE;

    /** Whether the issue may still be edited (title, template, parameters, list). */
    public boolean editable() {
        return this == DRAFT || this == SCHEDULED || this == BLOCKED;
    }

    public boolean finished() {
        return this == CANCELLED || this == DONE;
    }
}
