package io.consentcast.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.testsupport.LedgerGenerator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Benchmark 1, dispatch: one issue per workspace ({@code workspaces}, default 1; each on its own phone number)
 * to {@code size} confirmed readers each (default 100,000), every workspace's rate set to {@code rate} (default
 * 1,000 messages/s, WhatsApp's highest), the fake Meta process answering every message after {@code latency}
 * ms (default 100). Before the issues start, the fake's own capacity is measured in the same run by a short
 * closed-loop load of direct requests ({@code probe.users} concurrent, default the application's Graph connection
 * pool {@code graphPool} x workspaces, as many requests as the application can have open; for {@code probe.seconds},
 * default 10, after a 3 s warm-up that opens the connections).
 *
 * <p>
 * Reported: sustained messages/s (from the fake's per-second counts), the ratio to the configured limit
 * (rate x workspaces) and to the fake's capacity, time to finish (from "send now" to the last issue DONE),
 * p50/p99 of the time from the gate's SENDING mark to the recorded acceptance ({@code sending_at} to
 * {@code sent_at}; the delivery rows keep no claim time), the application's peak heap and RSS, CPU seconds per
 * 1,000 messages, and duplicates (a second message to the same recipient on the same number, counted by the
 * fake) which must be 0. A run that does not finish within {@code timeout} seconds (default: ten times the
 * ideal duration, at least 600) reports what was sent and cancels the issues.
 *
 * <p>
 * The application is configured as DISPATCH.md asks for 1,000 messages/s: the Graph client's connection pool
 * at {@code graphPool} (default 320, {@code CONSENTCAST_WHATSAPP_CONNECTION_POOL_SIZE}); more settings with
 * {@code -De2e.app.env.NAME=value} (e.g. {@code CONSENTCAST_DISPATCH_WORKERS}, {@code CONSENTCAST_DB_POOL_SIZE}).
 */
class DispatchBench {

    @Test
    void dispatch() throws Exception {
        long size = Bench.longOption("size", 100_000);
        int workspaces = Bench.intOption("workspaces", 1);
        int rate = Bench.intOption("rate", 1000);
        long latency = Bench.longOption("latency", 100);
        long ideal = (long) Math.ceil((double) size / rate);
        Duration timeout = Bench.secondsOption("timeout", Math.max(600, ideal * 10));
        String name = Bench.option("name", "dispatch-" + size + (workspaces > 1 ? "-x" + workspaces : ""));
        Map<String, Object> result = Bench.object();
        result.put("benchmark", "dispatch");
        result.put("startedAt", Instant.now().toString());
        try (BenchEnvironment env = BenchEnvironment.start(name, BenchEnvironment.Setup.sending(latency,
                Bench.boolOption("profile", false)))) {
            result.put("machine", Bench.machine(env.postgresVersion));
            Map<String, Object> options = Bench.object();
            options.put("readersPerWorkspace", size);
            options.put("workspaces", workspaces);
            options.put("ratePerSecondPerNumber", rate);
            options.put("fakeMetaLatencyMs", latency);
            options.put("timeoutSeconds", timeout.toSeconds());
            options.put("appHeap", BenchEnvironment.Setup.appHeap());
            options.put("graphConnectionPool", BenchEnvironment.Setup.graphPool());
            result.put("options", options);

            List<BenchEnvironment.Workspace> ws = new ArrayList<>();
            List<String> issues = new ArrayList<>();
            for (int i = 1; i <= workspaces; i++) {
                BenchEnvironment.Workspace w = env.workspace("dispatch" + i);
                env.cloudChannel(w, String.valueOf(100_000_000_000_000L + i), rate);
                Bench.log("workspace %d of %d: generating %,d confirmed readers in SQL", i, workspaces, size);
                try (Connection c = env.superuser()) {
                    LedgerGenerator.generate(c, w.tenantId(), w.listId(), size, List.of(List.of(
                            ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED)), true, "d" + i + "-");
                }
                ws.add(w);
                issues.add(env.draftIssue(w, "Dispatch benchmark " + i));
            }

            Map<String, Object> capacity = probeFakeCapacity(env);
            result.put("fakeMetaCapacity", capacity);
            double fakeCapacity = ((Number) capacity.get("messagesPerSecond")).doubleValue();

            Bench.log("sending %d issue(s) of %,d readers at %d messages/s each", workspaces, size, rate);
            ProcessSampler.Window window = env.sampler.window("dispatch");
            Instant sendStarted = Instant.now();
            long t0 = System.nanoTime();
            List<Double> sendSeconds = new ArrayList<>();
            for (int i = 0; i < workspaces; i++) {
                long s0 = System.nanoTime();
                String status = ws.get(i).req().post(ws.get(i).api() + "/issues/" + issues.get(i) + "/send")
                        .then().statusCode(200).extract().path("status");
                sendSeconds.add(Bench.round((System.nanoTime() - s0) / 1e9, 2));
                // Since issue 18 "send now" answers PREPARING at once and the engine decides the audience in chunks
                // while it sends.
                if (!"PREPARING".equals(status) && !"SENDING".equals(status)) {
                    throw new IllegalStateException("Issue " + issues.get(i) + " is " + status + " after 'send now'");
                }
            }
            long total = size * workspaces;
            long deadline = t0 + timeout.toNanos();
            long open = total;
            long lastLog = 0;
            while (open > 0 && System.nanoTime() < deadline) {
                Bench.sleep(2000);
                open = 0;
                for (int i = 0; i < workspaces; i++) {
                    open += env.openRows(issues.get(i));
                    if ("PREPARING".equals(env.issueStatusInDatabase(issues.get(i)))) {
                        open = Math.max(open, 1); // members not decided yet have no row: not done
                    }
                }
                long s = (System.nanoTime() - t0) / 1_000_000_000L;
                if (s - lastLog >= 30) {
                    Bench.log("%d s: %,d of %,d rows open", s, open, total);
                    lastLog = s;
                }
            }
            boolean finished = open == 0;
            if (finished) {
                // The last rows are decided before the engine's next pass marks the issue DONE.
                long doneBy = System.nanoTime() + 30_000_000_000L;
                while (System.nanoTime() < doneBy && !issues.stream().allMatch(id -> "DONE".equals(
                        env.issueStatusInDatabase(id)))) {
                    Bench.sleep(500);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> process = window.result();
            if (!finished) {
                Bench.log("timeout with %,d rows open: cancelling", open);
                for (int i = 0; i < workspaces; i++) {
                    ws.get(i).req().post(ws.get(i).api() + "/issues/" + issues.get(i) + "/cancel").then()
                            .statusCode(200);
                }
            }

            // Messages on the wire when the run ended are recorded within seconds: let them settle before counting.
            long settleBy = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < settleBy && issues.stream().anyMatch(id -> env.deliveryStates(id)
                    .getOrDefault("SENDING", 0L) > 0)) {
                Bench.sleep(500);
            }
            JsonNode stats = Bench.JSON.readTree(java.net.URI.create(env.fakeMetaUrl() + "/stats").toURL());
            Map<String, Object> db = database(env, issues, sendStarted);
            long messages = stats.path("messages").asLong();
            long duplicates = stats.path("duplicates").asLong();
            Map<String, Object> rates = rates(stats);

            Map<String, Object> figures = Bench.object();
            figures.put("finished", finished);
            figures.put("messages", messages);
            double sustained = ((Number) rates.get("steadyMessagesPerSecond")).doubleValue();
            figures.put("sustainedMessagesPerSecond", sustained);
            figures.put("averageMessagesPerSecond", rates.get("averageMessagesPerSecond"));
            figures.put("configuredLimitPerSecond", rate * workspaces);
            figures.put("ratioToConfiguredLimit", Bench.ratio(sustained, rate * workspaces));
            figures.put("fakeCapacityPerSecond", fakeCapacity);
            figures.put("ratioToFakeCapacity", Bench.ratio(sustained, fakeCapacity));
            Object toDone = db.get("secondsFromSendToLastDone");
            figures.put(toDone != null ? "secondsToFinish" : "secondsUntilTimeout",
                    toDone != null ? toDone : Bench.round(wall, 1));
            figures.put("idealSeconds", Bench.round((double) size / rate, 1));
            figures.put("sendingToAcceptedP50Ms", db.get("sendingToAcceptedP50Ms"));
            figures.put("sendingToAcceptedP99Ms", db.get("sendingToAcceptedP99Ms"));
            figures.put("appHeapUsedPeakMb", process.get("appHeapUsedPeakMb"));
            figures.put("appRssPeakMb", process.get("appRssPeakMb"));
            double cpu = ((Number) process.get("appCpuSeconds")).doubleValue();
            figures.put("appCpuSecondsPer1000Messages", messages == 0 ? null : Bench.round(cpu / (messages / 1000.0), 3));
            figures.put("duplicates", duplicates);
            figures.put("sentRowsEqualFakeMessages", ((Number) db.get("sentRows")).longValue() == messages);
            result.put("figures", figures);
            result.put("sendNowSeconds", sendSeconds);
            result.put("rates", rates);
            result.put("database", db);
            result.put("process", process);
            result.put("fakeMeta", Map.of("messages", messages, "duplicates", duplicates, "maxInFlight",
                    stats.path("maxInFlight").asLong(), "invalidRecipients", invalid(stats)));
            if (Bench.boolOption("profile", false)) {
                env.app.close();
                result.put("profile", Profile.summarise(env.profileFile(), sendStarted, Instant.now()));
            }
            if (duplicates > 0) {
                Bench.write(name, result);
                throw new IllegalStateException(duplicates + " duplicate messages: a reader got an issue twice");
            }
        }
        result.put("finishedAt", Instant.now().toString());
        Bench.write(name, result);
    }

    /** Direct requests to the fake at high concurrency, then its counters are reset. */
    private static Map<String, Object> probeFakeCapacity(BenchEnvironment env) throws Exception {
        int users = Bench.intOption("probe.users", Integer.parseInt(BenchEnvironment.Setup.graphPool())
                * Bench.intOption("workspaces", 1));
        Duration seconds = Bench.secondsOption("probe.seconds", 10);
        Bench.log("fake Meta capacity: %d concurrent direct requests for %d s", users, seconds.toSeconds());
        int port = env.fakeMetaPort();
        Map<String, Object> r;
        try (OpenLoad load = new OpenLoad(users)) {
            OpenLoad.Scenario send = (k, intended, phase) -> load.client.request(new RequestOptions()
                    .setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/v23.0/capacity-probe/messages")
                    .addHeader("Content-Type", "application/json").addHeader("Authorization", "Bearer probe"))
                    .compose(req -> req.send(Buffer.buffer("{\"messaging_product\":\"whatsapp\",\"to\":\"49"
                            + (1_000_000_000L + k) + "\",\"type\":\"template\"}", StandardCharsets.UTF_8.name())))
                    .compose(resp -> resp.statusCode() == 200 ? resp.body()
                            : Future.failedFuture(new OpenLoad.StatusException(resp.statusCode(), "fake Meta")));
            load.closed("fake-capacity-warm-up", users, Duration.ofSeconds(3), send);
            OpenLoad.Phase p = load.closed("fake-capacity", users, seconds, send);
            r = Bench.object();
            r.put("messagesPerSecond", Bench.round(p.achievedRate(), 0));
            r.put("concurrentRequests", users);
            r.put("probe", p.summary());
        }
        var reset = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(env.fakeMetaUrl() + "/stats/reset")).POST(java.net.http.HttpRequest.BodyPublishers
                        .noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (reset.statusCode() != 200) {
            throw new IllegalStateException("Resetting the fake's counters failed: " + reset.body());
        }
        Bench.log("fake Meta capacity: %s messages/s", r.get("messagesPerSecond"));
        return r;
    }

    /** Sustained rate from the fake's per-second counts, all numbers added up on one time line. */
    static Map<String, Object> rates(JsonNode stats) {
        TreeMap<Long, Long> perSecond = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = 0;
        Map<String, Object> perNumber = Bench.object();
        for (var it = stats.path("numbers").fields(); it.hasNext();) {
            var e = it.next();
            JsonNode n = e.getValue();
            long firstMs = n.path("firstMs").asLong();
            first = Math.min(first, firstMs);
            last = Math.max(last, n.path("lastMs").asLong());
            JsonNode seconds = n.path("perSecond");
            for (int i = 0; i < seconds.size(); i++) {
                perSecond.merge(firstMs / 1000 + i, seconds.get(i).asLong(), Long::sum);
            }
            perNumber.put(e.getKey(), Map.of("messages", n.path("messages").asLong(), "recipients",
                    n.path("recipients").asLong(), "duplicates", n.path("duplicates").asLong(), "steadyMessagesPerSecond",
                    steady(seconds)));
        }
        Map<String, Object> r = Bench.object();
        long messages = stats.path("messages").asLong();
        double span = Math.max(0.001, (last - first) / 1000.0);
        r.put("averageMessagesPerSecond", messages == 0 ? 0 : Bench.round(messages / span, 1));
        List<Long> series = new ArrayList<>(perSecond.values());
        r.put("steadyMessagesPerSecond", steady(series));
        r.put("note", "steady: mean of the per-second counts without the first and last 10% of the seconds (ramp-up,"
                + " tail); average: all messages over first to last message");
        r.put("perNumber", perNumber);
        r.put("perSecond", series);
        return r;
    }

    private static double steady(JsonNode seconds) {
        List<Long> s = new ArrayList<>();
        seconds.forEach(n -> s.add(n.asLong()));
        return steady(s);
    }

    private static double steady(List<Long> series) {
        if (series.isEmpty()) {
            return 0;
        }
        int cut = series.size() / 10;
        List<Long> middle = series.subList(cut, series.size() - cut);
        return Bench.round(middle.stream().mapToLong(Long::longValue).average().orElse(0), 1);
    }

    private static long invalid(JsonNode stats) {
        long n = 0;
        for (JsonNode number : stats.path("numbers")) {
            n += number.path("invalidRecipients").asLong();
        }
        return n;
    }

    /** Outcomes, timestamps and latencies from the delivery rows and issues. */
    private static Map<String, Object> database(BenchEnvironment env, List<String> issues, Instant sendStarted)
            throws Exception {
        Map<String, Object> r = Bench.object();
        try (Connection c = env.superuser()) {
            Array ids = c.createArrayOf("uuid", issues.toArray());
            try (PreparedStatement st = c.prepareStatement("SELECT state, coalesce(reason, ''), count(*) FROM issue_deliveries"
                    + " WHERE issue_id = ANY(?) GROUP BY 1, 2 ORDER BY 1, 2")) {
                st.setArray(1, ids);
                Map<String, Long> outcomes = new TreeMap<>();
                long sent = 0;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1) + (rs.getString(2).isEmpty() ? "" : " " + rs.getString(2));
                        outcomes.put(key, rs.getLong(3));
                        if ("SENT".equals(rs.getString(1))) {
                            sent += rs.getLong(3);
                        }
                    }
                }
                r.put("outcomes", outcomes);
                r.put("sentRows", sent);
            }
            try (PreparedStatement st = c.prepareStatement("SELECT percentile_cont(ARRAY[0.5, 0.9, 0.99, 0.999])"
                    + " WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - sending_at)), max(extract(epoch FROM"
                    + " sent_at - sending_at)), count(*) FROM issue_deliveries WHERE issue_id = ANY(?) AND state = 'SENT'")) {
                st.setArray(1, ids);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    Array a = rs.getArray(1);
                    if (a != null) {
                        Double[] p = (Double[]) a.getArray();
                        r.put("sendingToAcceptedP50Ms", Bench.round(p[0] * 1000, 1));
                        r.put("sendingToAcceptedP90Ms", Bench.round(p[1] * 1000, 1));
                        r.put("sendingToAcceptedP99Ms", Bench.round(p[2] * 1000, 1));
                        r.put("sendingToAcceptedP999Ms", Bench.round(p[3] * 1000, 1));
                        r.put("sendingToAcceptedMaxMs", Bench.round(rs.getDouble(2) * 1000, 1));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT min(started_at), max(finished_at), count(*) FILTER"
                    + " (WHERE status = 'DONE') FROM newsletter_issues WHERE id = ANY(?)")) {
                st.setArray(1, ids);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    OffsetDateTime started = rs.getObject(1, OffsetDateTime.class);
                    OffsetDateTime done = rs.getObject(2, OffsetDateTime.class);
                    r.put("issuesDone", rs.getLong(3));
                    if (started != null && done != null && rs.getLong(3) == issues.size()) {
                        r.put("secondsFromStartToLastDone", Bench.round(Duration.between(started.toInstant(),
                                done.toInstant()).toMillis() / 1000.0, 1));
                        r.put("secondsFromSendToLastDone", Bench.round(Duration.between(sendStarted,
                                done.toInstant()).toMillis() / 1000.0, 1));
                    }
                }
            }
        }
        return r;
    }
}
