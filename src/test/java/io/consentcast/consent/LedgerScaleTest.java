package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import jakarta.inject.Inject;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Exports and verifies a large ledger and prints time and heap figures (docs/LEDGER.md, "Figures").
 * Not part of the normal build: {@code ./mvnw test -Dtest=LedgerScaleTest -Dledger.scale=1000000
 * -DargLine=-Xmx256m}. The events are generated in PostgreSQL (valid chains, hashed with SQL's sha256).
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "ledger.scale", matches = "\\d+")
class LedgerScaleTest {

    @Inject
    LedgerFixture fx;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    private static final int PER_SUBSCRIBER = 10;

    @Test
    void exportAndVerifyStayFlat() throws Exception {
        long total = Long.parseLong(System.getProperty("ledger.scale"));
        Api owner = Api.newUser("scale");
        String slug = owner.createWorkspace("scale");
        String tenantId = fx.tenantId(slug);
        long started = System.nanoTime();
        generate(tenantId, total / PER_SUBSCRIBER);
        System.out.printf("SCALE generated %d events in %d s%n", total, (System.nanoTime() - started) / 1_000_000_000L);

        for (String format : new String[] { "csv", "ndjson" }) {
            System.gc();
            Measure m = new Measure();
            long bytes;
            // Plain HTTP: REST Assured would buffer the whole body.
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                    + io.restassured.RestAssured.port + "/api/tenants/" + slug + "/consent-events/export?format=" + format))
                    .header("Authorization", "Bearer " + owner.token()).build();
            var response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (InputStream in = response.body()) {
                bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            m.stop();
            System.out.printf("SCALE export %s: %d bytes in %d ms, heap used peak %d MB, after-GC peak %d MB"
                    + " (before %d MB), max heap %d MB%n", format, bytes, m.millis(), m.peak / 1_048_576,
                    m.peakLive.get() / 1_048_576, m.before / 1_048_576, m.max / 1_048_576);
            assertTrue(bytes > total * 200);
        }
        System.gc();
        Measure m = new Measure();
        int events = owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then().statusCode(200)
                .extract().path("events");
        boolean valid = owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then().extract().path("valid");
        m.stop();
        System.out.printf("SCALE verify x2: %d events in %d ms, heap used peak %d MB, after-GC peak %d MB, valid=%s%n",
                events, m.millis(), m.peak / 1_048_576, m.peakLive.get() / 1_048_576, valid);
        assertEquals(total, events);
        assertTrue(valid);
    }

    /** Samples the heap in use while a measurement runs. */
    private static final class Measure {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final long before = memory.getHeapMemoryUsage().getUsed();
        final long max = memory.getHeapMemoryUsage().getMax();
        final long start = System.nanoTime();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakLive = new AtomicLong();
        long peak;
        long end;
        final Thread sampler = new Thread(() -> {
            while (running.get()) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                long live = 0;
                for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                peakLive.accumulateAndGet(live, Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        Measure() {
            sampler.start();
        }

        void stop() throws InterruptedException {
            end = System.nanoTime();
            running.set(false);
            sampler.join();
            peak = peakUsed.get();
        }

        long millis() {
            return (end - start) / 1_000_000;
        }
    }

    private void generate(String tenantId, long subscribers) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE FUNCTION pg_temp.f(name text, v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                      SELECT name || '=' || CASE WHEN v IS NULL THEN '-' ELSE octet_length(v) || ':' || v END || E'\\n'
                    $$""");
            st.execute("""
                    CREATE FUNCTION pg_temp.t(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                      SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                    $$""");
            st.execute("INSERT INTO subscribers (id, tenant_id, public_id, phone, phone_hmac, created_at, last_seq, last_hash)"
                    + " SELECT gen_random_uuid(), '" + tenantId + "', 'scale' || i, '+49151' || lpad(i::text, 8, '0'),"
                    + " encode(sha256(('+49151' || i)::bytea), 'hex'), now(), 0, repeat('0', 64)"
                    + " FROM generate_series(1, " + subscribers + ") i");
            String[] types = { "REQUESTED", "CONFIRMED", "WITHDRAWN", "REQUESTED", "CONFIRMED", "SUPPRESSED",
                    "UNSUPPRESSED", "WITHDRAWN", "IMPORTED", "EXPIRED" };
            for (int seq = 1; seq <= PER_SUBSCRIBER; seq++) {
                String prev = seq == 1 ? "repeat('0', 64)" : "p.hash";
                String join = seq == 1 ? "" : " JOIN consent_events p ON p.subscriber_id = s.id AND p.seq = " + (seq - 1);
                st.execute("""
                        WITH c AS (
                          SELECT gen_random_uuid() AS id, s.tenant_id, s.id AS subscriber_id, %d::bigint AS seq,
                                 '00000000-0000-7000-8000-000000000001'::uuid AS list_id, '%s'::text AS type,
                                 date_trunc('milliseconds', now()) + (%d || ' seconds')::interval AS occurred_at,
                                 'LANDING_PAGE'::text AS source, 'https://example.org/p/scale?x=' || s.public_id AS source_detail,
                                 'wamid.' || s.public_id || '.%d' AS wa_message_id, %s AS prev_hash
                          FROM subscribers s%s WHERE s.tenant_id = '%s')
                        INSERT INTO consent_events (id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source,
                            source_detail, wa_message_id, prev_hash, hash)
                        SELECT id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source, source_detail,
                               wa_message_id, prev_hash,
                               encode(sha256(convert_to('consentcast-ledger-v1' || E'\\n'
                                 || pg_temp.f('id', id::text) || pg_temp.f('tenant_id', tenant_id)
                                 || pg_temp.f('subscriber_id', subscriber_id::text) || pg_temp.f('seq', seq::text)
                                 || pg_temp.f('list_id', list_id::text) || pg_temp.f('type', type)
                                 || pg_temp.f('occurred_at', pg_temp.t(occurred_at)) || pg_temp.f('source', source)
                                 || pg_temp.f('source_detail', source_detail) || pg_temp.f('consent_text_id', NULL)
                                 || pg_temp.f('consent_text_sha256', NULL) || pg_temp.f('evidence_digest', NULL)
                                 || pg_temp.f('wa_message_id', wa_message_id) || pg_temp.f('wa_timestamp', NULL)
                                 || pg_temp.f('actor_user_id', NULL) || pg_temp.f('reason', NULL)
                                 || pg_temp.f('prev_hash', prev_hash), 'UTF8')), 'hex')
                        FROM c""".formatted(seq, types[seq - 1], seq, seq, prev, join, tenantId));
            }
            st.execute("UPDATE subscribers s SET last_seq = e.seq, last_hash = e.hash FROM consent_events e"
                    + " WHERE e.subscriber_id = s.id AND e.seq = " + PER_SUBSCRIBER + " AND s.tenant_id = '" + tenantId + "'");
            st.execute("ANALYZE consent_events");
            st.execute("ANALYZE subscribers");
        }
    }
}
