package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import jakarta.inject.Inject;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.LedgerGenerator;
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

    private static final UUID LIST = UUID.fromString("00000000-0000-7000-8000-000000000001");

    /** Ten events per subscriber. */
    private static final List<ConsentEventType> CHAIN = List.of(ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED,
            ConsentEventType.WITHDRAWN, ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED,
            ConsentEventType.SUPPRESSED, ConsentEventType.UNSUPPRESSED, ConsentEventType.WITHDRAWN,
            ConsentEventType.IMPORTED, ConsentEventType.EXPIRED);
    private static final int PER_SUBSCRIBER = CHAIN.size();

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
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            LedgerGenerator.generate(c, tenantId, LIST, subscribers, List.of(CHAIN), false, "scale");
        }
    }
}
