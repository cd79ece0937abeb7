package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The projection rules on their own: list-specific and "all lists" events. */
class ConsentProjectionTest {

    private final UUID listA = UUID.randomUUID();
    private final UUID listB = UUID.randomUUID();
    private final Map<UUID, ConsentProjection.Row> rows = new HashMap<>();
    private long t;

    private ConsentEvent event(ConsentEventType type, UUID list) {
        return event(type, list, EventSource.WHATSAPP);
    }

    private ConsentEvent event(ConsentEventType type, UUID list, EventSource source) {
        ConsentEvent e = new ConsentEvent();
        e.id = UUID.randomUUID();
        e.type = type;
        e.source = source;
        e.listId = list;
        e.occurredAt = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(t++);
        ConsentProjection.apply(rows, e);
        return e;
    }

    private ConsentStatus state(UUID list) {
        ConsentProjection.Row row = rows.containsKey(list) ? rows.get(list) : rows.get(null);
        return row == null ? null : row.state();
    }

    @Test
    void aListFollowsRequestConfirmAndWithdrawal() {
        ConsentEvent requested = event(ConsentEventType.REQUESTED, listA);
        assertEquals(ConsentStatus.PENDING, state(listA));
        ConsentEvent confirmed = event(ConsentEventType.CONFIRMED, listA);
        assertEquals(ConsentStatus.CONFIRMED, state(listA));
        assertEquals(confirmed.occurredAt, rows.get(listA).since());
        assertNull(state(listB), "another list was never asked");
        event(ConsentEventType.REPERMISSION_REQUESTED, listA);
        assertEquals(ConsentStatus.CONFIRMED, state(listA));
        assertEquals(confirmed.occurredAt, rows.get(listA).since(), "a re-permission request changes nothing yet");
        event(ConsentEventType.WITHDRAWN, listA);
        assertEquals(ConsentStatus.WITHDRAWN, state(listA));
        assertFalse(requested.occurredAt.equals(rows.get(listA).since()));
    }

    @Test
    void anAllListsStopWithdrawsEveryListAndLaterListsStartFromIt() {
        event(ConsentEventType.CONFIRMED, listA);
        event(ConsentEventType.IMPORTED, listB);
        event(ConsentEventType.WITHDRAWN, null);
        assertEquals(ConsentStatus.WITHDRAWN, state(listA));
        assertEquals(ConsentStatus.WITHDRAWN, state(listB));
        assertEquals(ConsentStatus.WITHDRAWN, state(UUID.randomUUID()), "the all-lists row answers for new lists");
        event(ConsentEventType.REQUESTED, listB);
        assertEquals(ConsentStatus.PENDING, state(listB));
        assertEquals(ConsentStatus.WITHDRAWN, state(listA));
    }

    @Test
    void suppressionHidesConsentUntilItEnds() {
        event(ConsentEventType.CONFIRMED, listA);
        event(ConsentEventType.SUPPRESSED, null);
        assertEquals(ConsentStatus.SUPPRESSED, state(listA));
        event(ConsentEventType.EXPIRED, listA);
        assertEquals(ConsentStatus.SUPPRESSED, state(listA), "consent changes under a suppression stay hidden");
        event(ConsentEventType.REQUESTED, listB);
        assertEquals(ConsentStatus.SUPPRESSED, state(listB), "a new list inherits the suppression");
        event(ConsentEventType.UNSUPPRESSED, null);
        assertEquals(ConsentStatus.EXPIRED, state(listA));
        assertEquals(ConsentStatus.PENDING, state(listB));
        assertNull(rows.get(null), "an all-lists row that only held the suppression disappears");
    }

    @Test
    void erasureWithdrawsAndSuppressesEverything() {
        event(ConsentEventType.CONFIRMED, listA);
        event(ConsentEventType.ERASED, null);
        assertEquals(ConsentStatus.SUPPRESSED, state(listA));
        assertEquals(ConsentStatus.WITHDRAWN, rows.get(listA).consent());
        assertEquals(ConsentStatus.SUPPRESSED, state(listB));
    }

    @Test
    void aConsentConfirmedOnTheSandboxIsMarkedUntilItIsConfirmedForReal() {
        event(ConsentEventType.REQUESTED, listA, EventSource.SANDBOX);
        assertFalse(rows.get(listA).sandboxConfirmed(), "a request confirms nothing");
        event(ConsentEventType.CONFIRMED, listA, EventSource.SANDBOX);
        assertTrue(rows.get(listA).sandboxConfirmed());
        event(ConsentEventType.SUPPRESSED, null, EventSource.SYSTEM);
        event(ConsentEventType.UNSUPPRESSED, null, EventSource.WHATSAPP);
        assertEquals(ConsentStatus.CONFIRMED, state(listA));
        assertTrue(rows.get(listA).sandboxConfirmed(), "a suppression in between keeps the consent's origin");
        event(ConsentEventType.CONFIRMED, listA, EventSource.WHATSAPP);
        assertFalse(rows.get(listA).sandboxConfirmed(), "confirmed on WhatsApp");
        event(ConsentEventType.CONFIRMED, listB, EventSource.SANDBOX);
        event(ConsentEventType.WITHDRAWN, listB, EventSource.SANDBOX);
        assertFalse(rows.get(listB).sandboxConfirmed(), "only a CONFIRMED consent can be sandbox-only");
    }
}
