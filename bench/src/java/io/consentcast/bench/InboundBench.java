package io.consentcast.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Benchmark 5, inbound at crowd speed (issue 14): readers write to a workspace's number, each {@code START AUSGABE},
 * then {@code JA}, then {@code STOP}, every message a signed webhook posted to {@code /webhooks/whatsapp} as Meta
 * does; each is processed by the inbox's workers (ledger append) and answered through the reply outbox by the fake
 * Meta process ({@code latency} ms per answer, default 100). Readers come in blocks of {@code block} (default 200):
 * the block's STARTs, then its JAs, then its STOPs, so a reader's messages are a few hundred milliseconds apart
 * and many readers' messages interleave.
 *
 * <p>
 * Order: a closed-loop warm-up (8 senders, {@code warmup} s, default 30), the closed-loop capacity of the webhook POST
 * itself (64 senders, 20 s: how many webhooks per second the endpoint acknowledges) and, from the backlog that run
 * leaves, the processing rate at saturation; then the measured open run at {@code rate} messages/s (default 500)
 * for {@code duration} s (default 60), after which the benchmark waits until every message is processed and
 * answered. Reported: processed/s (from the inbox's own processed_at, and replies/s from the outbox's finished_at),
 * the webhook POST's p50/p99 under load (from each arrival's intended start), its capacity and the ratio of
 * processed/s to it, the largest backlog, and the ledger, inbox and outbox counts that prove every message was
 * handled once and in order.
 */
class InboundBench {

    private static final String PHONE = "100000000000777";

    @Test
    void inbound() throws Exception {
        double rate = Bench.longOption("rate", 500);
        Duration duration = Bench.secondsOption("duration", 60);
        Duration warmup = Bench.secondsOption("warmup", 30);
        long latency = Bench.longOption("latency", 100);
        int block = Bench.intOption("block", 200);
        boolean capacity = Bench.boolOption("capacity", true);
        boolean profile = Bench.boolOption("profile", false);
        Map<String, Object> result = Bench.object();
        result.put("benchmark", "inbound");
        result.put("startedAt", Instant.now().toString());
        try (BenchEnvironment env = BenchEnvironment.start("inbound", BenchEnvironment.Setup.sending(latency, profile))) {
            result.put("machine", Bench.machine(env.postgresVersion));
            BenchEnvironment.Workspace w = env.workspace("inbound");
            env.cloudChannel(w, PHONE, 80);
            String secret = env.app.env().get("CONSENTCAST_WHATSAPP_APP_SECRET");
            int port = env.app.port();
            Map<String, Object> options = Bench.object();
            options.put("messagesPerSecond", rate);
            options.put("durationSeconds", duration.toSeconds());
            options.put("fakeMetaLatencyMs", latency);
            options.put("readersPerBlock", block);
            options.put("appHeap", BenchEnvironment.Setup.appHeap());
            options.put("appEnv", "defaults (inbox workers 8, outbox senders 128, database pool 32) unless -De2e.app.env.*");
            result.put("options", options);

            AtomicLong readerBase = new AtomicLong(0);
            try (OpenLoad load = new OpenLoad(Bench.intOption("connections", 256))) {
                OpenLoad.Scenario message = (k, intended, phase) -> post(load, port, secret, readerBase.get(), block, k,
                        intended, phase);

                Bench.log("warm-up: closed loop, 8 senders, %d s", warmup.toSeconds());
                OpenLoad.Phase warm = load.closed("warm-up", 8, warmup, message);
                result.put("warmup", warm.summary());
                waitDrained(env, Bench.secondsOption("drain", 600));
                readerBase.addAndGet(readers(warm.issued, block) + block);

                if (capacity) {
                    Bench.log("webhook POST capacity: closed loop, 64 senders, 20 s");
                    Instant from = Instant.now();
                    OpenLoad.Phase cap = load.closed("post-capacity", 64, Duration.ofSeconds(20), message);
                    long drainedAfter = waitDrained(env, Bench.secondsOption("drain", 600));
                    Map<String, Object> c = Bench.object();
                    c.put("postsPerSecond", Bench.round(cap.achievedRate(), 1));
                    c.put("postLatency", cap.summary());
                    c.put("processing", processed(env, from, Instant.now()));
                    c.put("secondsToDrainAfterPosting", drainedAfter);
                    result.put("capacity", c);
                    readerBase.addAndGet(readers(cap.issued, block) + block);
                }

                Bench.log("measured run: %.0f messages/s for %d s", rate, duration.toSeconds());
                Instant from = Instant.now();
                ProcessSampler.Window window = env.sampler.window("inbound");
                BacklogProbe backlog = new BacklogProbe(env);
                backlog.start();
                OpenLoad.Phase run = load.open("messages", rate, duration, Duration.ofSeconds(30), message);
                Instant postedUntil = Instant.now();
                long lag = waitDrained(env, Bench.secondsOption("drain", 600));
                backlog.interrupt();
                backlog.join();
                Instant to = Instant.now();
                Map<String, Object> process = window.result();
                Map<String, Object> processing = processed(env, from, to);
                result.put("run", run.summary());
                result.put("processing", processing);
                result.put("process", process);

                Map<String, Object> figures = Bench.object();
                var post = run.histogram("total");
                double processedPerSecond = ((Number) processing.get("processedPerSecond")).doubleValue();
                figures.put("targetMessagesPerSecond", rate);
                figures.put("postedPerSecond", Bench.round(run.achievedRate(), 1));
                figures.put("processedPerSecond", processedPerSecond);
                figures.put("repliesPerSecond", processing.get("repliesPerSecond"));
                figures.put("steadyProcessedPerSecond", processing.get("steadyProcessedPerSecond"));
                figures.put("ratioToTarget", Bench.ratio(processedPerSecond, rate));
                if (post != null) {
                    figures.put("webhookPostP50Ms", OpenLoad.Phase.ms(post.getValueAtPercentile(50)));
                    figures.put("webhookPostP99Ms", OpenLoad.Phase.ms(post.getValueAtPercentile(99)));
                    figures.put("webhookPostP999Ms", OpenLoad.Phase.ms(post.getValueAtPercentile(99.9)));
                }
                if (result.get("capacity") instanceof Map<?, ?> c) {
                    double postCapacity = ((Number) c.get("postsPerSecond")).doubleValue();
                    figures.put("webhookPostCapacityPerSecond", postCapacity);
                    figures.put("processedRatioToPostCapacity", Bench.ratio(processedPerSecond, postCapacity));
                    figures.put("saturatedProcessedPerSecond",
                            ((Map<?, ?>) c.get("processing")).get("processedPerSecond"));
                }
                figures.put("largestBacklog", backlog.max);
                figures.put("secondsFromLastPostToAllProcessed", lag);
                figures.put("postErrors", run.errorCount());
                figures.put("secondsPosting", Bench.round(Duration.between(from, postedUntil).toMillis() / 1000.0, 1));
                figures.put("appCpuSeconds", process.get("appCpuSeconds"));
                figures.put("otherCpuSeconds", process.get("otherCpuSeconds"));
                figures.put("loadAverage", Bench.loadAverage());
                figures.put("allProcessed", lag >= 0);
                figures.put("targetMet", lag >= 0 && run.errorCount() == 0 && processedPerSecond >= rate * 0.99 && post != null
                        && post.getValueAtPercentile(99) <= 50_000);
                result.put("figures", figures);
                result.put("database", database(env, w));
                if (profile) {
                    env.app.close();
                    result.put("profile", Profile.summarise(env.profileFile(), from, to));
                }
            }
        }
        result.put("finishedAt", Instant.now().toString());
        Bench.write("inbound", result);
    }

    /** Readers a phase of {@code messages} messages used (three messages each, in blocks). */
    private static long readers(long messages, int block) {
        return (messages / (3L * block) + 1) * block;
    }

    /**
     * Message {@code k} of a phase: block {@code k / (3 x block)}; within it the block's STARTs, JAs, then STOPs.
     * Readers are numbered from {@code base} so that phases never share one.
     */
    private static Future<Void> post(OpenLoad load, int port, String secret, long base, int block, long k, long intended,
            OpenLoad.Phase phase) {
        long b = k / (3L * block);
        int within = (int) (k % (3L * block));
        String word = switch (within / block) {
            case 0 -> "START AUSGABE";
            case 1 -> "JA";
            default -> "STOP";
        };
        long reader = base + b * block + within % block;
        String from = "49151" + String.format("%08d", reader % 100_000_000L);
        String payload = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"2" + PHONE + "\",\"changes\":[{"
                + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
                + "\"display_phone_number\":\"49301234567\",\"phone_number_id\":\"" + PHONE + "\"},\"contacts\":[{"
                + "\"profile\":{\"name\":\"Leser\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from
                + "\",\"id\":\"wamid.BENCH" + base + "x" + k + "\",\"timestamp\":\"" + (System.currentTimeMillis() / 1000)
                + "\",\"type\":\"text\",\"text\":{\"body\":\"" + word + "\"}}]}}]}]}";
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(hmac(secret, raw)));
        return load.client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/webhooks/whatsapp").setHeaders(headers)).compose(req -> req.send(Buffer.buffer(raw)))
                .compose(r -> r.body().compose(x -> r.statusCode() == 200 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new OpenLoad.StatusException(r.statusCode(), "POST webhook"))));
    }

    private static byte[] hmac(String secret, byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(raw);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until no inbox row is pending and no reply is open; returns the seconds it took, or -1 when they did not
     * drain within {@code max} (the figures then cover what was processed so far).
     */
    private static long waitDrained(BenchEnvironment env, Duration max) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(env, "SELECT count(*) FROM whatsapp_webhook_inbox WHERE status = 'PENDING'") == 0
                    && count(env, "SELECT count(*) FROM whatsapp_outbox WHERE state IN ('PENDING', 'SENDING')") == 0) {
                return (System.nanoTime() - t0) / 1_000_000_000L;
            }
            Bench.sleep(250);
        }
        Bench.log("the inbox or the outbox did not drain within %s: reporting what was processed", max);
        return -1;
    }

    private static long count(BenchEnvironment env, String sql) throws Exception {
        try (Connection c = env.superuser(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Inbox rows received in [from, to): processed/s from the first arrival to the last processed_at, the steady
     * per-second rate of processed_at (without the first and last 10% of the seconds), and replies/s from the
     * outbox's finished_at.
     */
    private static Map<String, Object> processed(BenchEnvironment env, Instant from, Instant to) throws Exception {
        Map<String, Object> r = Bench.object();
        try (Connection c = env.superuser()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), min(received_at), max(processed_at)"
                    + " FROM whatsapp_webhook_inbox WHERE received_at >= ? AND received_at < ? AND status = 'DONE'")) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long n = rs.getLong(1);
                    double s = n == 0 ? 0 : (rs.getTimestamp(3).getTime() - rs.getTimestamp(2).getTime()) / 1000.0;
                    r.put("messagesProcessed", n);
                    r.put("secondsFirstArrivalToLastProcessed", Bench.round(s, 2));
                    r.put("processedPerSecond", s <= 0 ? 0 : Bench.round(n / s, 1));
                }
            }
            List<Long> series = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT date_trunc('second', processed_at), count(*)"
                    + " FROM whatsapp_webhook_inbox WHERE received_at >= ? AND received_at < ? AND status = 'DONE'"
                    + " GROUP BY 1 ORDER BY 1")) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        series.add(rs.getLong(2));
                    }
                }
            }
            r.put("processedPerSecondSeries", series);
            r.put("steadyProcessedPerSecond", steady(series));
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), min(created_at), max(finished_at)"
                    + " FROM whatsapp_outbox WHERE created_at >= ? AND created_at < ? AND state = 'SENT'")) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long n = rs.getLong(1);
                    double s = n == 0 ? 0 : (rs.getTimestamp(3).getTime() - rs.getTimestamp(2).getTime()) / 1000.0;
                    r.put("repliesSent", n);
                    r.put("repliesPerSecond", s <= 0 ? 0 : Bench.round(n / s, 1));
                }
            }
        }
        return r;
    }

    private static double steady(List<Long> series) {
        if (series.isEmpty()) {
            return 0;
        }
        int cut = series.size() / 10;
        List<Long> mid = series.subList(cut, Math.max(cut + 1, series.size() - cut));
        return Bench.round(mid.stream().mapToLong(Long::longValue).average().orElse(0), 1);
    }

    /** The whole run's outcome in the database: ledger events by type, inbox rows and replies by state. */
    private static Map<String, Object> database(BenchEnvironment env, BenchEnvironment.Workspace w) throws Exception {
        Map<String, Object> r = Bench.object();
        r.put("ledgerEvents", grouped(env, "SELECT type, count(*) FROM consent_events WHERE tenant_id = '" + w.tenantId()
                + "' GROUP BY type"));
        r.put("inboxRows", grouped(env, "SELECT status, count(*) FROM whatsapp_webhook_inbox GROUP BY status"));
        r.put("replies", grouped(env, "SELECT state, count(*) FROM whatsapp_outbox GROUP BY state"));
        r.put("readersByState", grouped(env, "SELECT state, count(*) FROM consent_states WHERE tenant_id = '"
                + w.tenantId() + "' GROUP BY state"));
        return r;
    }

    private static Map<String, Long> grouped(BenchEnvironment env, String sql) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (Connection c = env.superuser(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    /** Samples the inbox backlog once a second (the partial index of pending rows keeps it cheap). */
    private static final class BacklogProbe extends Thread {
        private final BenchEnvironment env;
        volatile long max;

        BacklogProbe(BenchEnvironment env) {
            super("backlog-probe");
            this.env = env;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try {
                    max = Math.max(max, count(env, "SELECT count(*) FROM whatsapp_webhook_inbox WHERE status = 'PENDING'"));
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    Bench.log("backlog probe: %s", e);
                }
            }
        }
    }
}
