package io.consentcast.dispatch;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a newsletter issue (docs/DISPATCH.md, state machine). {@link #NEXT} is the transition table:
 * every status change goes through {@link NewsletterIssue#moveTo}, which refuses a move the table does not
 * list. A status may "move" to itself where a re-check keeps it (a new reason, a new time).
 */
public enum IssueStatus {
    DRAFT, SCHEDULED, BLOCKED, SENDING, PAUSED, CANCELLED, DONE;

    private static final Map<IssueStatus, Set<IssueStatus>> NEXT = new EnumMap<>(IssueStatus.class);

    static {
        // Scheduled (at a time or now), blocked by the preflight, started at once, or dropped.
        NEXT.put(DRAFT, EnumSet.of(SCHEDULED, BLOCKED, SENDING, CANCELLED));
        // Rescheduled or edited (re-checked), blocked, started when its time comes, paused, cancelled.
        NEXT.put(SCHEDULED, EnumSet.of(SCHEDULED, BLOCKED, SENDING, PAUSED, CANCELLED));
        // Re-checked: still blocked (perhaps for another reason), its time not come yet, or sending.
        NEXT.put(BLOCKED, EnumSet.of(BLOCKED, SCHEDULED, SENDING, PAUSED, CANCELLED));
        // Left the sending hours or the preflight failed, paused (by a person or the engine), done.
        NEXT.put(SENDING, EnumSet.of(SENDING, BLOCKED, PAUSED, CANCELLED, DONE));
        // Resumed (through the preflight: sending, scheduled or blocked), paused again by a person, cancelled.
        NEXT.put(PAUSED, EnumSet.of(PAUSED, SCHEDULED, BLOCKED, SENDING, CANCELLED));
        NEXT.put(CANCELLED, EnumSet.noneOf(IssueStatus.class));
        NEXT.put(DONE, EnumSet.noneOf(IssueStatus.class));
    }

    /** Whether the table allows this status to become {@code next}. */
    public boolean canMoveTo(IssueStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether the issue may still be edited (title, template, parameters, list). */
    public boolean editable() {
        return this == DRAFT || this == SCHEDULED || this == BLOCKED;
    }

    public boolean finished() {
        return this == CANCELLED || this == DONE;
    }
}
