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
    DRAFT, SCHEDULED, BLOCKED,
    /**
     * Started: the engine decides the audience in subscriber-range chunks (a delivery row per member) and already
     * sends the rows decided so far; SENDING once every member has a row.
     */
    PREPARING,
    SENDING, PAUSED, CANCELLED, DONE;

    private static final Map<IssueStatus, Set<IssueStatus>> NEXT = new EnumMap<>(IssueStatus.class);

    static {
        // Scheduled (at a time or now), blocked by the preflight, started at once (preparing), or dropped.
        NEXT.put(DRAFT, EnumSet.of(SCHEDULED, BLOCKED, PREPARING, CANCELLED));
        // Rescheduled or edited (re-checked), blocked, started when its time comes, paused, cancelled.
        NEXT.put(SCHEDULED, EnumSet.of(SCHEDULED, BLOCKED, PREPARING, PAUSED, CANCELLED));
        // Re-checked: still blocked (perhaps for another reason), its time not come yet, started (preparing), or
        // (started before it was blocked) sending or preparing again.
        NEXT.put(BLOCKED, EnumSet.of(BLOCKED, SCHEDULED, PREPARING, SENDING, PAUSED, CANCELLED));
        // Every member decided, paused (by a person or the engine; deciding goes on), cancelled (deciding stops);
        // resumed through the preflight: preparing again, or blocked when it fails.
        NEXT.put(PREPARING, EnumSet.of(PREPARING, SENDING, BLOCKED, PAUSED, CANCELLED));
        // Left the sending hours or the preflight failed, paused (by a person or the engine), done.
        NEXT.put(SENDING, EnumSet.of(SENDING, BLOCKED, PAUSED, CANCELLED, DONE));
        // Resumed (through the preflight: preparing or sending, scheduled or blocked), paused again by a person,
        // cancelled.
        NEXT.put(PAUSED, EnumSet.of(PAUSED, SCHEDULED, BLOCKED, PREPARING, SENDING, CANCELLED));
        NEXT.put(CANCELLED, EnumSet.noneOf(IssueStatus.class));
        NEXT.put(DONE, EnumSet.noneOf(IssueStatus.class));
    }

    /** Whether the table allows this status to become {@code next}. */
    public boolean canMoveTo(IssueStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether the engine sends the issue's PENDING rows: SENDING, and PREPARING (the rows decided so far). */
    public boolean sends() {
        return this == SENDING || this == PREPARING;
    }

    /** Whether the issue may still be edited (title, template, parameters, list). */
    public boolean editable() {
        return this == DRAFT || this == SCHEDULED || this == BLOCKED;
    }

    public boolean finished() {
        return this == CANCELLED || this == DONE;
    }
}
