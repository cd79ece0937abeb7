package io.consentcast.consent;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one function that turns ledger events into consent state, used both when appending and
 * when rebuilding the state from the ledger. Rows are keyed by list id; the {@code null} key is
 * the "all lists" row, which also answers for lists that have no row of their own.
 * <ul>
 * <li>An event for one list changes that list's row (created from the "all lists" row if missing).</li>
 * <li>An event for all lists (list null) changes the "all lists" row and every list's row.</li>
 * <li>REQUESTED → PENDING, CONFIRMED → CONFIRMED, WITHDRAWN → WITHDRAWN, EXPIRED → EXPIRED,
 * IMPORTED → IMPORTED set the consent; SUPPRESSED/UNSUPPRESSED switch the suppression, which
 * shows as SUPPRESSED over any consent; REPERMISSION_REQUESTED leaves the state as it is;
 * ERASED withdraws and suppresses everything.</li>
 * <li>{@code since} changes only when the visible state changes; {@code lastEventId} always.</li>
 * <li>{@code sandboxConfirmed}: the consent was set by a CONFIRMED event from the sandbox
 * ({@link #fromSandbox}); any other confirmation clears it, and it holds only while the consent is CONFIRMED
 * (suppressions keep it).</li>
 * </ul>
 */
public final class ConsentProjection {

    /** The message ids the sandbox phone gives what is written on it (Meta's ids never start so). */
    static final String LEGACY_SANDBOX_MESSAGE_PREFIX = "wamid.SANDBOXIN.";

    private ConsentProjection() {
    }

    /**
     * The projected state of one (subscriber, list). {@code consent} may be null while only a suppression is known;
     * {@code sandboxConfirmed} says that the consent was confirmed through the sandbox only.
     */
    public record Row(ConsentStatus consent, boolean suppressed, Instant since, UUID lastEventId,
            boolean sandboxConfirmed) {

        public ConsentStatus state() {
            return suppressed ? ConsentStatus.SUPPRESSED : consent;
        }
    }

    /** Applies one event to the subscriber's rows (a map that allows a null key), in place. */
    public static void apply(Map<UUID, Row> rows, ConsentEvent event) {
        if (event.listId == null) {
            Set<UUID> lists = new HashSet<>(rows.keySet());
            lists.add(null);
            for (UUID list : lists) {
                change(rows, list, event);
            }
        } else {
            change(rows, event.listId, event);
        }
    }

    /**
     * Whether an event came from the sandbox phone: its source, or (recorded before the source SANDBOX existed,
     * as WHATSAPP) its message id, which only the sandbox phone gives ({@code whatsapp.SandboxPhone}).
     */
    static boolean fromSandbox(ConsentEvent event) {
        return event.source == EventSource.SANDBOX || (event.source == EventSource.WHATSAPP
                && event.waMessageId != null && event.waMessageId.startsWith(LEGACY_SANDBOX_MESSAGE_PREFIX));
    }

    private static void change(Map<UUID, Row> rows, UUID list, ConsentEvent event) {
        Row before = rows.containsKey(list) ? rows.get(list) : (list == null ? null : rows.get(null));
        ConsentStatus consent = before == null ? null : before.consent();
        boolean suppressed = before != null && before.suppressed();
        boolean sandbox = before != null && before.sandboxConfirmed();
        switch (event.type) {
            case REQUESTED -> consent = ConsentStatus.PENDING;
            case CONFIRMED -> consent = ConsentStatus.CONFIRMED;
            case WITHDRAWN -> consent = ConsentStatus.WITHDRAWN;
            case EXPIRED -> consent = ConsentStatus.EXPIRED;
            case IMPORTED -> consent = ConsentStatus.IMPORTED;
            case SUPPRESSED -> suppressed = true;
            case UNSUPPRESSED -> suppressed = false;
            case ERASED -> {
                consent = ConsentStatus.WITHDRAWN;
                suppressed = true;
            }
            case REPERMISSION_REQUESTED -> {
                // A request to confirm again changes nothing until the answer arrives.
            }
        }
        if (event.type == ConsentEventType.CONFIRMED) {
            sandbox = fromSandbox(event);
        }
        if (consent == null && !suppressed) {
            rows.remove(list);
            return;
        }
        ConsentStatus visible = suppressed ? ConsentStatus.SUPPRESSED : consent;
        Instant since = before != null && before.state() == visible ? before.since() : event.occurredAt;
        rows.put(list, new Row(consent, suppressed, since, event.id, sandbox && consent == ConsentStatus.CONFIRMED));
    }
}
