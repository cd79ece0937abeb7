package io.consentcast.dispatch;

import static io.consentcast.dispatch.IssueStatus.BLOCKED;
import static io.consentcast.dispatch.IssueStatus.CANCELLED;
import static io.consentcast.dispatch.IssueStatus.DONE;
import static io.consentcast.dispatch.IssueStatus.DRAFT;
import static io.consentcast.dispatch.IssueStatus.PAUSED;
import static io.consentcast.dispatch.IssueStatus.PREPARING;
import static io.consentcast.dispatch.IssueStatus.SCHEDULED;
import static io.consentcast.dispatch.IssueStatus.SENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The issue's transition table, as docs/DISPATCH.md draws the state machine. */
class IssueStatusTest {

    private static final Map<IssueStatus, Set<IssueStatus>> EXPECTED = Map.of(
            DRAFT, EnumSet.of(SCHEDULED, BLOCKED, PREPARING, CANCELLED),
            SCHEDULED, EnumSet.of(SCHEDULED, BLOCKED, PREPARING, PAUSED, CANCELLED),
            BLOCKED, EnumSet.of(BLOCKED, SCHEDULED, PREPARING, SENDING, PAUSED, CANCELLED),
            PREPARING, EnumSet.of(PREPARING, SENDING, BLOCKED, PAUSED, CANCELLED),
            SENDING, EnumSet.of(SENDING, BLOCKED, PAUSED, CANCELLED, DONE),
            PAUSED, EnumSet.of(PAUSED, SCHEDULED, BLOCKED, PREPARING, SENDING, CANCELLED),
            CANCELLED, EnumSet.noneOf(IssueStatus.class),
            DONE, EnumSet.noneOf(IssueStatus.class));

    @Test
    void everyMoveIsAllowedExactlyWhenTheStateMachineHasIt() {
        for (IssueStatus from : IssueStatus.values()) {
            for (IssueStatus to : IssueStatus.values()) {
                assertEquals(EXPECTED.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void anIssueStartsAsADraftAndRefusesAMoveTheTableDoesNotList() {
        NewsletterIssue i = new NewsletterIssue();
        assertThrows(IllegalStateException.class, () -> i.moveTo(SENDING), "a new issue is a draft first");
        i.moveTo(DRAFT);
        assertThrows(IllegalStateException.class, () -> i.moveTo(DONE), "a draft is never done without sending");
        assertEquals(DRAFT, i.status, "a refused move changes nothing");
        assertThrows(IllegalStateException.class, () -> i.moveTo(SENDING), "a draft starts by preparing its audience");
        i.moveTo(PREPARING);
        i.moveTo(SENDING);
        i.moveTo(DONE);
        assertThrows(IllegalStateException.class, () -> i.moveTo(CANCELLED), "a finished issue stays finished");
        assertEquals(DONE, i.status);
    }
}
