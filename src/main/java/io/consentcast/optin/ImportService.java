package io.consentcast.optin;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.PhoneNumbers;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;

/**
 * Imports existing subscribers from a CSV file with whatever evidence the publisher has. Imported people
 * are IMPORTED, not CONFIRMED: they get no marketing until they reconfirm. Every row is either taken or
 * reported with its reason; erased, suppressed and withdrawn numbers are never revived by an import.
 *
 * <p>Columns (header row, any order, case-insensitive): {@code phone} (required), {@code opted_in_at}
 * (ISO date or date-time), {@code source}, {@code consent_text}.
 */
@ApplicationScoped
public class ImportService {

    static final int MAX_ROWS = 50_000;

    @Inject
    ListService lists;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    public record RejectedRow(long row, String phone, String reason) {
    }

    public record ImportReport(String list, boolean dryRun, long rows, long imported, List<RejectedRow> rejected) {
    }

    /**
     * Reads the whole file first: a file that cannot be read as CSV, lacks the phone column or is too large is
     * refused as a whole (400) and nothing is stored. Otherwise the valid rows are imported in one transaction
     * and the report names every rejected row. With {@code dryRun} nothing is stored.
     */
    @Transactional
    public ImportReport importCsv(String listSlug, Reader csv, String fileName, String region, boolean dryRun,
            java.util.UUID actorUserId) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        List<CSVRecord> records;
        Map<String, Integer> header;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreHeaderCase(true).setTrim(true).setIgnoreEmptyLines(true).get().parse(csv)) {
            header = parser.getHeaderMap();
            records = new ArrayList<>();
            for (CSVRecord r : parser) {
                if (records.size() >= MAX_ROWS) {
                    throw ApiException.badRequest("optin.import-too-large");
                }
                records.add(r);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw ApiException.badRequest("optin.import-unreadable");
        }
        if (header == null || header.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("phone"))) {
            throw ApiException.badRequest("optin.import-no-phone-column");
        }
        List<RejectedRow> rejected = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long imported = 0;
        for (CSVRecord r : records) {
            long row = r.getRecordNumber() + 1; // the header is row 1
            String raw = value(r, "phone");
            Optional<String> phone = PhoneNumbers.e164(raw, region);
            if (phone.isEmpty()) {
                rejected.add(new RejectedRow(row, raw, "invalid phone number"));
                continue;
            }
            if (!seen.add(phone.get())) {
                rejected.add(new RejectedRow(row, raw, "duplicate in this file"));
                continue;
            }
            String optedIn = value(r, "opted_in_at");
            Instant at = null;
            if (optedIn != null) {
                at = parseDate(optedIn);
                if (at == null) {
                    rejected.add(new RejectedRow(row, raw, "opted_in_at is not a date (use 2024-05-31)"));
                    continue;
                }
            }
            Optional<SubscriberView> existing = subscribers.findByPhone(phone.get());
            if (existing.isPresent()) {
                SubscriberView s = existing.get();
                if (s.erased()) {
                    rejected.add(new RejectedRow(row, raw, "erased earlier: stays suppressed"));
                    continue;
                }
                Optional<ConsentStatus> state = consent.stateOf(s.id(), list.id());
                if (state.isPresent() && state.get() != ConsentStatus.EXPIRED) {
                    rejected.add(new RejectedRow(row, raw, switch (state.get()) {
                        case SUPPRESSED -> "suppressed: stays suppressed";
                        case WITHDRAWN -> "withdrew consent earlier: not imported";
                        default -> "already " + state.get().name().toLowerCase(Locale.ROOT);
                    }));
                    continue;
                }
            }
            if (!dryRun) {
                SubscriberView s = existing.orElseGet(() -> consent.subscriberFor(phone.get()));
                consent.append(NewEvent.of(s.id(), ConsentEventType.IMPORTED, EventSource.IMPORT)
                        .forList(list.id())
                        .withActor(actorUserId)
                        .withSourceDetail(fileName + ", row " + row)
                        .withReason(evidence(at, value(r, "source"), value(r, "consent_text"))));
            }
            imported++;
        }
        return new ImportReport(list.slug(), dryRun, records.size(), imported, rejected);
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

    private static String value(CSVRecord r, String column) {
        for (Map.Entry<String, String> e : r.toMap().entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return e.getValue() == null || e.getValue().isBlank() ? null : e.getValue();
            }
        }
        return null;
    }

    private static Instant parseDate(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
