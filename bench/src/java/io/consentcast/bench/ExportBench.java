package io.consentcast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.testsupport.LedgerGenerator;

/**
 * Benchmark 3, export: the consent ledger of one workspace ({@code -Dbench.events}, default 1,000,000 events:
 * a tenth as many subscribers with ten events each, valid hash chains generated in SQL) exported as CSV and as
 * NDJSON through the API, against PostgreSQL's own {@code COPY (SELECT ...) TO STDOUT} of the same rows (same
 * joins, order and row-level security, as the application role) in the same run. After generating, the ledger is
 * vacuumed, as autovacuum does in service (V9_50), so that both read the covering index alone. The heap is measured around
 * each export: in use after a full collection ({@code jcmd GC.run}) before and after, and the peak of the live
 * data after collections during it; a second CSV export of a tenth of the rows shows whether the growth depends
 * on the number of events.
 *
 * <p>
 * Options: {@code events} (1000000), {@code heap} (512m), {@code verify} (true: also time the ledger
 * verification, which checks the generated chains), {@code profile} (false: JFR of the application during the
 * two full exports, summarised in the result).
 */
class ExportBench {

    private static final List<ConsentEventType> CHAIN = List.of(ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED,
            ConsentEventType.WITHDRAWN, ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED,
            ConsentEventType.SUPPRESSED, ConsentEventType.UNSUPPRESSED, ConsentEventType.WITHDRAWN,
            ConsentEventType.IMPORTED, ConsentEventType.EXPIRED);

    /** The export's rows as PostgreSQL alone produces them (LedgerReader's query, timestamps formatted as exported). */
    private static final String ROWS = """
            SELECT e.id, e.tenant_id, e.subscriber_id, e.seq, e.list_id, e.type,
                   to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
                   e.source, e.source_detail, e.consent_text_id, e.consent_text_sha256, e.evidence_digest,
                   e.wa_message_id, to_char(e.wa_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS wa_timestamp,
                   e.actor_user_id, e.reason, e.prev_hash, e.hash, s.public_id AS subscriber_public_id,
                   s.phone AS subscriber_phone, s.phone_hmac AS subscriber_phone_hmac, t.version AS consent_text_version,
                   t.language AS consent_text_language, v.salt AS evidence_salt, v.ip, v.user_agent
            FROM ((SELECT %2$s FROM consent_events WHERE %3$s ORDER BY subscriber_id, seq)
                  UNION ALL (SELECT %2$s FROM consent_events WHERE NOT (%3$s) ORDER BY subscriber_id, seq)) e
            JOIN subscribers s ON s.id = e.subscriber_id
            LEFT JOIN consent_evidence v ON v.event_id = e.id
            LEFT JOIN consent_texts t ON t.id = e.consent_text_id
            WHERE e.tenant_id = '%1$s'
            ORDER BY e.subscriber_id, e.seq""";

    /** LedgerReader's event columns and the predicate of the covering index consent_events_export (V9_50). */
    private static final String EVENT_COLUMNS = "id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source,"
            + " source_detail, consent_text_id, consent_text_sha256, evidence_digest, wa_message_id, wa_timestamp,"
            + " actor_user_id, reason, prev_hash, hash";
    private static final String FITS = "octet_length(COALESCE(source_detail, '')) + octet_length(COALESCE(wa_message_id, ''))"
            + " + octet_length(COALESCE(reason, '')) <= 2000";

    private static String rows(String tenantId) {
        return ROWS.formatted(tenantId, EVENT_COLUMNS, FITS);
    }

    @Test
    void export() throws Exception {
        long events = Bench.longOption("events", 1_000_000);
        long subscribers = Math.max(1, events / CHAIN.size());
        events = subscribers * CHAIN.size();
        Map<String, Object> result = Bench.object();
        result.put("benchmark", "export");
        result.put("startedAt", Instant.now().toString());
        try (BenchEnvironment env = BenchEnvironment.start("export", new BenchEnvironment.Setup(null,
                BenchEnvironment.Setup.appHeap(), Map.of(), Bench.boolOption("profile", false)))) {
            result.put("machine", Bench.machine(env.postgresVersion));
            Map<String, Object> options = Bench.object();
            options.put("events", events);
            options.put("subscribers", subscribers);
            options.put("appHeap", BenchEnvironment.Setup.appHeap());
            result.put("options", options);
            BenchEnvironment.Workspace w = env.workspace("export");
            Bench.log("generating %,d events (%,d subscribers x %d) in SQL", events, subscribers, CHAIN.size());
            try (Connection c = env.superuser()) {
                LedgerGenerator.Result g = LedgerGenerator.generate(c, w.tenantId(), w.listId(), subscribers,
                        List.of(CHAIN), true, "exp");
                result.put("generatedInSeconds", g.took().toSeconds());
            }
            result.put("vacuum", vacuum(env));
            String base = env.app.url() + w.api() + "/consent-events/export?format=";
            String subset = "&to=" + URLEncoder.encode(secondEventTime(env, w).toString(), StandardCharsets.UTF_8);

            Bench.log("warm-up: CSV and NDJSON exports of a tenth of the rows");
            download(base + "csv" + subset, w);
            download(base + "ndjson" + subset, w);

            Map<String, Object> copy = Bench.object();
            Bench.log("PostgreSQL COPY of the same rows, CSV and JSON");
            copy.put("csv", copyOut(env, "COPY (" + rows(w.tenantId()) + ") TO STDOUT WITH (FORMAT csv, HEADER)",
                    w.tenantId(), events));
            copy.put("json", copyOut(env, "COPY (SELECT row_to_json(r)::text FROM (" + rows(w.tenantId())
                    + ") r) TO STDOUT", w.tenantId(), events));
            result.put("postgresCopy", copy);

            Map<String, Object> exports = Bench.object();
            Instant csvFrom = Instant.now();
            exports.put("csv", measured(env, "csv", base + "csv", w, events, events + 1));
            Instant csvTo = Instant.now();
            exports.put("ndjson", measured(env, "ndjson", base + "ndjson", w, events, events));
            Instant ndjsonTo = Instant.now();
            exports.put("csvTenth", measured(env, "csv (a tenth)", base + "csv" + subset, w, subscribers,
                    subscribers + 1));
            result.put("exports", exports);

            Map<String, Object> figures = Bench.object();
            for (String format : List.of("csv", "ndjson")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) exports.get(format);
                @SuppressWarnings("unchecked")
                Map<String, Object> pg = (Map<String, Object>) copy.get(format.equals("csv") ? "csv" : "json");
                double eps = ((Number) e.get("eventsPerSecond")).doubleValue();
                figures.put(format + "EventsPerSecond", eps);
                figures.put(format + "RatioToCopy", Bench.ratio(eps, ((Number) pg.get("eventsPerSecond")).doubleValue()));
                figures.put(format + "RatioToTarget200k", Bench.ratio(eps, 200_000));
                figures.put(format + "HeapGrowthMb", e.get("heapRetainedGrowthMb"));
                figures.put(format + "PeakLiveHeapGrowthMb", e.get("peakLiveHeapGrowthMb"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> tenth = (Map<String, Object>) exports.get("csvTenth");
            figures.put("csvTenthPeakLiveHeapGrowthMb", tenth.get("peakLiveHeapGrowthMb"));
            result.put("figures", figures);

            if (Bench.boolOption("verify", true)) {
                Bench.log("verifying the ledger (%,d events)", events);
                long t0 = System.nanoTime();
                var v = w.req().get(w.api() + "/consent-events/verify").then().statusCode(200).extract();
                double s = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> verify = Bench.object();
                verify.put("valid", v.path("valid"));
                verify.put("events", v.path("events"));
                verify.put("seconds", Bench.round(s, 2));
                verify.put("eventsPerSecond", Bench.round(events / s, 0));
                result.put("verify", verify);
                if (!Boolean.TRUE.equals(v.path("valid"))) {
                    throw new IllegalStateException("The generated ledger does not verify: " + v.asString());
                }
            }
            if (Bench.boolOption("profile", false)) {
                env.app.close(); // the recording is written when the JVM exits
                Map<String, Object> profile = Bench.object();
                profile.put("csv", Profile.summarise(env.profileFile(), csvFrom, csvTo));
                profile.put("ndjson", Profile.summarise(env.profileFile(), csvTo, ndjsonTo));
                result.put("profile", profile);
            }
        }
        result.put("finishedAt", Instant.now().toString());
        Bench.write("export", result);
    }

    /**
     * VACUUM (ANALYZE) of the generated ledger, as autovacuum does in service once 1% of the events are new (V9_50):
     * it marks the pages all-visible, so an index-only scan needs no heap page. Returns its time and the share of
     * the ledger's pages marked all-visible.
     */
    private static Map<String, Object> vacuum(BenchEnvironment env) throws Exception {
        Map<String, Object> vacuum = Bench.object();
        try (Connection c = env.superuser(); var st = c.createStatement()) {
            c.setAutoCommit(true);
            long t0 = System.nanoTime();
            st.execute("VACUUM (ANALYZE) consent_events");
            st.execute("VACUUM (ANALYZE) subscribers");
            vacuum.put("seconds", Bench.round((System.nanoTime() - t0) / 1e9, 1));
            try (ResultSet rs = st.executeQuery("SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class"
                    + " WHERE relname = 'consent_events'")) {
                rs.next();
                vacuum.put("consentEventsPagesAllVisible", Bench.round(rs.getDouble(1), 3));
            }
        }
        return vacuum;
    }

    /** The time of the subscribers' second events: exporting up to it gives the first event of each subscriber. */
    private static Instant secondEventTime(BenchEnvironment env, BenchEnvironment.Workspace w) throws Exception {
        try (Connection c = env.superuser();
                PreparedStatement st = c.prepareStatement("SELECT min(occurred_at) FROM consent_events WHERE tenant_id = ?"
                        + " AND seq = 2")) {
            st.setString(1, w.tenantId());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private static Map<String, Object> measured(BenchEnvironment env, String name, String url, BenchEnvironment.Workspace w, long events,
            long expectedLines) throws Exception {
        long before = env.heapAfterGc();
        Bench.log("export %s: %,d events", name, events);
        ProcessSampler.Window window = env.sampler.window(name);
        Download d = download(url, w);
        Map<String, Object> process = window.result();
        long after = env.heapAfterGc();
        if (d.lines != expectedLines) {
            throw new IllegalStateException("The " + name + " export has " + d.lines + " lines, expected " + expectedLines);
        }
        Map<String, Object> r = Bench.object();
        r.put("events", events);
        r.put("bytes", d.bytes);
        r.put("seconds", Bench.round(d.seconds, 2));
        r.put("firstByteMs", Bench.round(d.firstByteSeconds * 1000, 1));
        r.put("eventsPerSecond", Bench.round(events / d.seconds, 0));
        r.put("megabytesPerSecond", Bench.round(d.bytes / 1_048_576.0 / d.seconds, 1));
        r.put("heapAfterGcBeforeMb", Bench.mb(before));
        r.put("heapAfterGcAfterMb", Bench.mb(after));
        r.put("heapRetainedGrowthMb", Bench.mb(after - before));
        double liveStart = ((Number) process.get("appHeapLiveAfterGcStartMb")).doubleValue();
        double livePeak = ((Number) process.get("appHeapLiveAfterGcPeakMb")).doubleValue();
        r.put("peakLiveHeapGrowthMb", Bench.round(livePeak - liveStart, 1));
        r.put("process", process);
        return r;
    }

    record Download(long bytes, long lines, double seconds, double firstByteSeconds) {
    }

    /** Streams a download to nowhere, counting bytes and line ends (plain HTTP: nothing is buffered). */
    private static Download download(String url, BenchEnvironment.Workspace w) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                "Bearer " + w.token()).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode() + ": "
                    + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long firstByte = 0;
        long bytes = 0;
        long lines = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (bytes == 0) {
                    firstByte = System.nanoTime();
                }
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        long end = System.nanoTime();
        return new Download(bytes, lines, (end - t0) / 1e9, (firstByte - t0) / 1e9);
    }

    /** COPY ... TO STDOUT as the application role inside the workspace (row-level security as for the application). */
    private static Map<String, Object> copyOut(BenchEnvironment env, String sql, String tenantId, long events)
            throws Exception {
        try (Connection c = env.applicationRole()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("SELECT set_config('consentcast.tenant_id', ?, true)")) {
                st.setString(1, tenantId);
                st.execute();
            }
            long[] bytes = { 0 };
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            long t0 = System.nanoTime();
            long rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, sink);
            double s = (System.nanoTime() - t0) / 1e9;
            c.commit();
            if (rows != events) {
                throw new IllegalStateException("COPY returned " + rows + " rows, expected " + events);
            }
            Map<String, Object> r = Bench.object();
            r.put("rows", rows);
            r.put("bytes", bytes[0]);
            r.put("seconds", Bench.round(s, 2));
            r.put("eventsPerSecond", Bench.round(rows / s, 0));
            return r;
        }
    }
}
