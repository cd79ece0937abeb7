package io.consentcast.consent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Dates;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Consent-event exports as CSV or NDJSON, streamed from {@link LedgerReader}, and their manifest
 * (columns, row count, SHA-256 of the file, verification result, consent texts). The column set
 * is documented in docs/LEDGER.md; never reorder it, only append.
 */
@ApplicationScoped
public class LedgerExport {

    public enum Format {
        CSV("text/csv; charset=UTF-8", "csv"), NDJSON("application/x-ndjson; charset=UTF-8", "ndjson");

        public final String mediaType;
        public final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    /** A validated export request. */
    public record Request(Format format, LedgerReader.Filter filter) {

        public String describe() {
            LedgerReader.Filter f = filter;
            return "format=" + format.extension + (f.from() == null ? "" : " from=" + f.from())
                    + (f.to() == null ? "" : " to=" + f.to()) + (f.listId() == null ? "" : " list=" + f.listId())
                    + (f.subscriberPublicId() == null ? "" : " subscriber=" + f.subscriberPublicId());
        }
    }

    public record Manifest(String algorithm, String format, Map<String, String> filters, List<String> columns,
            long rows, String sha256, LedgerVerifier.Result verification,
            LedgerCheckpoints.CheckpointView latestCheckpoint, List<ConsentTextView> consentTexts,
            Instant generatedAt) {
    }

    /** The export's columns, in file order (docs/LEDGER.md). */
    public static List<String> columnNames() {
        return ExportColumn.headers();
    }

    @Inject
    LedgerReader reader;

    @Inject
    ListNames listNames;

    @Inject
    LedgerVerifier verifier;

    @Inject
    LedgerCheckpoints checkpoints;

    @Inject
    LedgerConfig config;

    @Inject
    TenantScope tenantScope;

    @Inject
    EntityManager em;

    @Inject
    ActivityLog activity;

    @Inject
    Clock clock;

    @Inject
    SubscriberService subscribers;

    /**
     * Reads and checks the query parameters: format csv or ndjson (default csv); from/to as
     * ISO-8601 instants or dates (UTC; {@code to} exclusive, a date means its end); list a UUID;
     * subscriber a subscriber's public id. 400 with field errors otherwise.
     */
    public Request parse(String format, String from, String to, String list, String subscriber) {
        Validation v = new Validation();
        Format f = null;
        String fmt = format == null || format.isBlank() ? "csv" : format.strip().toLowerCase(Locale.ROOT);
        try {
            f = Format.valueOf(fmt.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.check(false, "format", "consent.format-invalid");
        }
        Instant fromInstant = parseTime(from, false, v, "from");
        Instant toInstant = parseTime(to, true, v, "to");
        v.check(fromInstant == null || toInstant == null || fromInstant.isBefore(toInstant), "to",
                "consent.filter-range-invalid");
        UUID listId = null;
        if (list != null && !list.isBlank()) {
            try {
                listId = UUID.fromString(list.strip());
            } catch (IllegalArgumentException e) {
                v.check(false, "list", "consent.filter-list-invalid");
            }
        }
        String sub = subscriber == null || subscriber.isBlank() ? null : subscriber.strip();
        v.check(sub == null || sub.length() <= 32, "subscriber", "consent.filter-subscriber-unknown");
        v.throwIfInvalid();
        listNames.require(listId, "list");
        if (sub != null) {
            try {
                subscribers.get(sub);
            } catch (ApiException e) {
                throw ApiException.invalid(Map.of("subscriber", "consent.filter-subscriber-unknown"));
            }
        }
        return new Request(f, new LedgerReader.Filter(fromInstant, toInstant, listId, sub));
    }

    private static Instant parseTime(String value, boolean end, Validation v, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.strip();
        try {
            if (s.length() == 10) {
                LocalDate date = Dates.date(s);
                return (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Dates.instant(s);
        } catch (DateTimeParseException e) {
            v.check(false, field, "consent.filter-time-invalid");
            return null;
        }
    }

    /** Records the export in the activity log (in the caller's transaction). */
    public void recordExport(Request request, UUID actorUserId) {
        LedgerReader.Filter f = request.filter();
        activity.record(actorUserId, ActivityKind.LEDGER_EXPORTED, ActivitySubject.of(ActivitySubject.Type.LEDGER),
                new ActivityDetails.LedgerExported(request.format().extension, f.from() == null ? null
                        : f.from().toString(), f.to() == null ? null : f.to().toString(), f.listId() == null ? null
                        : listNames.names().getOrDefault(f.listId(), f.listId().toString()), f.subscriberPublicId()));
    }

    /**
     * Writes the export of workspace {@code tenantId} to {@code out}, in a transaction of its own;
     * for a {@code StreamingOutput}, which may run outside the request's context. Returns the rows.
     */
    public long write(String tenantId, Request request, OutputStream out) {
        return tenantScope.call(tenantId, () -> QuarkusTransaction.requiringNew()
                .timeout((int) config.streamTimeout().toSeconds())
                .call(() -> writeInTransaction(tenantId, request, out)));
    }

    /** The manifest of the export the same request gives now: count, SHA-256, verification, texts. */
    public Manifest manifest(String tenantId, Request request) {
        return tenantScope.call(tenantId, () -> QuarkusTransaction.requiringNew()
                .timeout((int) config.streamTimeout().toSeconds())
                .call(() -> {
                    MessageDigest digest = sha256();
                    long rows;
                    try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                        rows = writeInTransaction(tenantId, request, sink);
                    }
                    LedgerVerifier.Result verification = verifier.verifyInTransaction(tenantId);
                    List<ConsentTextView> texts = em
                            .createQuery("from ConsentText order by createdAt, version", ConsentText.class)
                            .getResultStream().map(ConsentTextView::of).toList();
                    Map<String, String> filters = new LinkedHashMap<>();
                    LedgerReader.Filter f = request.filter();
                    filters.put("from", f.from() == null ? null : f.from().toString());
                    filters.put("to", f.to() == null ? null : f.to().toString());
                    filters.put("list", f.listId() == null ? null : f.listId().toString());
                    filters.put("subscriber", f.subscriberPublicId());
                    return new Manifest("consentcast-ledger-v1", request.format().extension, filters, columnNames(),
                            rows, HexFormat.of().formatHex(digest.digest()), verification,
                            checkpoints.latest().orElse(null), texts, clock.instant());
                }));
    }

    /**
     * Streams the rows from PostgreSQL's binary COPY straight into the file's bytes ({@link ExportWriter}): no
     * String, record or formatter object per row or value, one reusable buffer.
     */
    private long writeInTransaction(String tenantId, Request request, OutputStream out) {
        ExportWriter writer = ExportWriter.of(request.format(), out);
        try {
            writer.start();
            reader.copyExportRows(tenantId, request.filter(), writer::row);
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.rows();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
