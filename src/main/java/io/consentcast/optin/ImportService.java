package io.consentcast.optin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;

/**
 * The consent rules of an import, applied to rows already read by {@link CsvUpload}. Imported people are
 * IMPORTED, not CONFIRMED: they get no marketing until they reconfirm. Every row is either taken (an IMPORTED
 * event with the publisher's evidence) or reported with its reason; erased, suppressed and withdrawn numbers
 * are never revived by an import. The worker ({@link ImportWorker}) calls this once per chunk, inside the
 * chunk's transaction.
 *
 * <p>Columns (header row, any order, case-insensitive): {@code phone} (required), {@code opted_in_at}
 * (ISO date or date-time), {@code source}, {@code consent_text}.
 */
@ApplicationScoped
public class ImportService {

    @Inject
    ListService lists;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    ImportConfig config;

    /** A row not taken, with the number it had in the file (the header is row 1). */
    public record Rejection(int row, String phone, RejectReason reason) {
    }

    /** What a chunk did: how many rows were taken and which were not. */
    public record Outcome(int imported, List<Rejection> rejected) {
    }

    /**
     * Applies {@code rows} to the list in the current transaction. With {@code dryRun} the rules are checked
     * and nothing is written. The ledger is read and written for all rows together (a few statements per chunk,
     * not per row): the known subscribers and their consent in two queries, the new subscribers in one batch,
     * the IMPORTED events through {@link ConsentService#appendAll}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome apply(UUID listId, List<CsvUpload.Row> rows, boolean dryRun, String fileName, UUID actorUserId) {
        List<CsvUpload.Row> candidates = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (CsvUpload.Row r : rows) {
            Optional<RejectReason> reason = checkRow(r);
            if (reason.isPresent()) {
                rejected.add(new Rejection(r.rowNumber(), r.phone(), reason.get()));
            } else {
                candidates.add(r);
            }
        }
        Map<String, SubscriberView> known = subscribers.findByPhones(candidates.stream().map(CsvUpload.Row::e164).toList());
        Map<UUID, ConsentStatus> states = consent.statesOf(known.values().stream().map(SubscriberView::id).toList(),
                listId);
        List<CsvUpload.Row> taken = new ArrayList<>();
        for (CsvUpload.Row r : candidates) {
            Optional<RejectReason> reason = checkLedger(known.get(r.e164()), states);
            if (reason.isPresent()) {
                rejected.add(new Rejection(r.rowNumber(), r.phone(), reason.get()));
            } else {
                taken.add(r);
            }
        }
        rejected.sort(Comparator.comparingInt(Rejection::row));
        if (!dryRun && !taken.isEmpty()) {
            Map<String, SubscriberView> all = new HashMap<>(known);
            all.putAll(subscribers.subscribersFor(taken.stream().map(CsvUpload.Row::e164)
                    .filter(p -> !known.containsKey(p)).toList()));
            consent.appendAll(taken.stream().map(r -> NewEvent.of(all.get(r.e164()).id(), ConsentEventType.IMPORTED,
                    EventSource.IMPORT)
                    .forList(listId)
                    .withActor(actorUserId)
                    .withSourceDetail(fileName + ", row " + r.rowNumber())
                    .withReason(evidence(parseDate(r.optedInAt()), r.source(), r.consentText()))).toList());
        }
        return new Outcome(taken.size(), rejected);
    }

    /**
     * Imports a small CSV text at once, in the current transaction (sample data): the same reading and the
     * same rules as an uploaded file. Returns how many rows were taken.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int importNow(String listSlug, String csv, String fileName, String region, UUID actorUserId) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        List<CsvUpload.Row> rows = CsvUpload.read(csv.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                region, config.maxRows());
        return apply(list.id(), rows, false, fileName, actorUserId).imported();
    }

    /** What the row itself says: a number, not twice in the file, a readable date. */
    private static Optional<RejectReason> checkRow(CsvUpload.Row r) {
        if (r.e164() == null) {
            return Optional.of(RejectReason.INVALID_PHONE);
        }
        if (r.duplicate()) {
            return Optional.of(RejectReason.DUPLICATE);
        }
        if (r.optedInAt() != null && parseDate(r.optedInAt()) == null) {
            return Optional.of(RejectReason.BAD_DATE);
        }
        return Optional.empty();
    }

    /** What the ledger says: erased, suppressed and withdrawn numbers stay out; a live consent stays as it is. */
    private static Optional<RejectReason> checkLedger(SubscriberView existing, Map<UUID, ConsentStatus> states) {
        if (existing == null) {
            return Optional.empty();
        }
        if (existing.erased()) {
            return Optional.of(RejectReason.ERASED);
        }
        ConsentStatus state = states.get(existing.id());
        if (state == null || state == ConsentStatus.EXPIRED) {
            return Optional.empty();
        }
        return Optional.of(switch (state) {
            case SUPPRESSED -> RejectReason.SUPPRESSED;
            case WITHDRAWN -> RejectReason.WITHDRAWN;
            case PENDING -> RejectReason.ALREADY_PENDING;
            case CONFIRMED -> RejectReason.ALREADY_CONFIRMED;
            default -> RejectReason.ALREADY_IMPORTED;
        });
    }

    private static String evidence(Instant optedInAt, String source, String text) {
        StringBuilder b = new StringBuilder("publisher's evidence:");
        b.append(" opted in ").append(optedInAt == null ? "at an unknown time" : optedInAt.toString());
        if (source != null) {
            b.append("; source: ").append(truncate(source, 300));
        }
        if (text != null) {
            b.append("; consent text: ").append(truncate(text, 1500));
        }
        return b.toString();
    }

    private static Instant parseDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
