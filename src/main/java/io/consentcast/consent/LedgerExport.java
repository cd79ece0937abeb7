package io.consentcast.consent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.CsvCells;
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

    /** The export columns, in order, and how each is read from a row. */
    static final Map<String, Function<LedgerReader.Row, Object>> COLUMNS = columns();

    private static Map<String, Function<LedgerReader.Row, Object>> columns() {
        Map<String, Function<LedgerReader.Row, Object>> c = new LinkedHashMap<>();
        c.put("id", r -> r.content().id());
        c.put("tenant_id", r -> r.content().tenantId());
        c.put("subscriber_id", r -> r.content().subscriberId());
        c.put("seq", r -> r.content().seq());
        c.put("list_id", r -> r.content().listId());
        c.put("type", r -> r.content().type());
        c.put("occurred_at", r -> LedgerHash.time(r.content().occurredAt()));
        c.put("source", r -> r.content().source());
        c.put("source_detail", r -> r.content().sourceDetail());
        c.put("consent_text_id", r -> r.content().consentTextId());
        c.put("consent_text_sha256", r -> r.content().consentTextSha256());
        c.put("evidence_digest", r -> r.content().evidenceDigest());
        c.put("wa_message_id", r -> r.content().waMessageId());
        c.put("wa_timestamp", r -> LedgerHash.time(r.content().waTimestamp()));
        c.put("actor_user_id", r -> r.content().actorUserId());
        c.put("reason", r -> r.content().reason());
        c.put("prev_hash", r -> r.content().prevHash());
        c.put("hash", r -> r.hash());
        c.put("subscriber_public_id", r -> r.subscriberPublicId());
        c.put("subscriber_phone", r -> r.phone());
        c.put("subscriber_phone_hmac", r -> r.phoneHmac());
        c.put("consent_text_version", r -> r.consentTextVersion());
        c.put("consent_text_language", r -> r.consentTextLanguage());
        c.put("evidence_salt", r -> r.evidenceSalt());
        c.put("ip", r -> r.ip());
        c.put("user_agent", r -> r.userAgent());
        return java.util.Collections.unmodifiableMap(c);
    }

    public static List<String> columnNames() {
        return List.copyOf(COLUMNS.keySet());
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
    ObjectMapper json;

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

    private long writeInTransaction(String tenantId, Request request, OutputStream out) {
        long[] rows = { 0 };
        try {
            Writer writer = new RangeWriter(new OutputStreamWriter(nonClosing(out), StandardCharsets.UTF_8), 64 * 1024);
            if (request.format() == Format.CSV) {
                CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(COLUMNS.keySet().toArray(String[]::new))
                        .get().print(writer);
                reader.stream(tenantId, request.filter(), row -> {
                    try {
                        List<Object> values = new ArrayList<>(COLUMNS.size());
                        for (Function<LedgerReader.Row, Object> column : COLUMNS.values()) {
                            values.add(CsvCells.neutralise(column.apply(row)));
                        }
                        csv.printRecord(values);
                        rows[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                csv.flush();
            } else {
                JsonGenerator gen = json.getFactory().createGenerator(writer);
                gen.setRootValueSeparator(null);
                reader.stream(tenantId, request.filter(), row -> {
                    try {
                        gen.writeStartObject();
                        for (Map.Entry<String, Function<LedgerReader.Row, Object>> column : COLUMNS.entrySet()) {
                            Object value = column.getValue().apply(row);
                            gen.writeFieldName(column.getKey());
                            if (value == null) {
                                gen.writeNull();
                            } else if (value instanceof Number n) {
                                gen.writeNumber(n.longValue());
                            } else {
                                gen.writeString(value.toString());
                            }
                        }
                        gen.writeEndObject();
                        gen.writeRaw('\n');
                        rows[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                gen.flush();
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows[0];
    }

    /**
     * A buffered writer that appends a range of a String without copying it first: commons-csv's printer
     * writes every value through {@code append(CharSequence, int, int)}, which {@link Writer} implements as
     * {@code write(String.valueOf(csq.subSequence(start, end)))}, a new String per value (26% of a CSV
     * export's CPU, docs/PERFORMANCE.md).
     */
    static final class RangeWriter extends BufferedWriter {

        RangeWriter(Writer out, int size) {
            super(out, size);
        }

        @Override
        public Writer append(CharSequence csq, int start, int end) throws IOException {
            if (csq instanceof String s) {
                write(s, start, end - start);
                return this;
            }
            return super.append(csq, start, end);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
