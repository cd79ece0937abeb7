package io.consentcast.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.testsupport.LedgerGenerator;

/**
 * Benchmark 4, the consent gate: an issue to a list of {@code size} members (default 1,000,000), most of whom the
 * gate must exclude (pending, withdrawn, suppressed, imported, expired; {@code confirmedPercent} of them, default
 * 1, are confirmed and really sent to the fake Meta). Measured through the product:
 * <ol>
 * <li><b>send now</b> ({@code POST /issues/{id}/send}) runs the preflight and answers PREPARING at once;</li>
 * <li><b>preparation</b>: the engine writes a delivery row per member in subscriber-range chunks
 * ({@code AudienceMaterialiser.materialiseChunk}: one {@code INSERT ... SELECT} per chunk from
 * {@code ConsentAudience.decisionsInRange}); members who are not confirmed are EXCLUDED with their reason right
 * there, the confirmed ones PENDING;</li>
 * <li><b>gate</b>: meanwhile the engine passes the PENDING rows through the consent gate immediately before each
 * message, at the number's rate. The benchmark follows the issue (the API's {@code preparation}) and the rows until
 * the preparation is done and none is PENDING or CLAIMED (every member decided), or until {@code budget} seconds
 * (default 300) have passed; then it reports the rate at which members were decided and the time projected for
 * all of them, and cancels the issue.</li>
 * </ol>
 * The limit measured in the same run: one set-based query that reads, for every delivery row of the issue, the
 * same consent facts the gate reads per row ({@code ConsentAudience.recipient}), as the application role in the
 * workspace.
 *
 * <p>
 * Options: {@code size} (1000000), {@code confirmedPercent} (1), {@code rate} (1000 messages/s, the workspace's
 * dispatch rate), {@code latency} (fake Meta, 100 ms), {@code budget} (300 s), {@code heap} (512m).
 */
class GateBench {

    @Test
    void gate() throws Exception {
        long size = Bench.longOption("size", 1_000_000);
        int confirmedPercent = Bench.intOption("confirmedPercent", 1);
        int rate = Bench.intOption("rate", 1000);
        long latency = Bench.longOption("latency", 100);
        Duration budget = Bench.secondsOption("budget", 300);
        if (confirmedPercent < 0 || confirmedPercent > 100) {
            throw new IllegalArgumentException("-Dbench.confirmedPercent must be 0..100");
        }
        Map<String, Object> result = Bench.object();
        result.put("benchmark", "consent gate");
        result.put("startedAt", Instant.now().toString());
        try (BenchEnvironment env = BenchEnvironment.start("gate", BenchEnvironment.Setup.sending(latency, false))) {
            result.put("machine", Bench.machine(env.postgresVersion));
            Map<String, Object> options = Bench.object();
            options.put("members", size);
            options.put("confirmedPercent", confirmedPercent);
            options.put("ratePerSecond", rate);
            options.put("fakeMetaLatencyMs", latency);
            options.put("budgetSeconds", budget.toSeconds());
            options.put("appHeap", BenchEnvironment.Setup.appHeap());
            result.put("options", options);

            BenchEnvironment.Workspace w = env.workspace("gate");
            env.cloudChannel(w, "100000000000001", rate);
            List<List<ConsentEventType>> chains = chains(confirmedPercent);
            Bench.log("generating %,d list members in SQL (%d%% confirmed)", size, confirmedPercent);
            try (Connection c = env.superuser()) {
                LedgerGenerator.Result g = LedgerGenerator.generate(c, w.tenantId(), w.listId(), size, chains, true, "gate");
                result.put("generatedInSeconds", g.took().toSeconds());
                result.put("generatedEvents", g.events());
            }
            String issue = env.draftIssue(w, "Gate benchmark");

            Bench.log("send now: preflight; the engine then prepares %,d delivery rows in chunks", size);
            ProcessSampler.Window window = env.sampler.window("gate");
            long t0 = System.nanoTime();
            String status = w.req().post(w.api() + "/issues/" + issue + "/send").then().statusCode(200)
                    .extract().path("status");
            double request = (System.nanoTime() - t0) / 1e9;
            if (!"PREPARING".equals(status)) {
                throw new IllegalStateException("After 'send now' the issue is " + status + ", expected PREPARING");
            }
            Bench.log("send now answered in %.2f s; following the preparation and the gate for up to %d s", request,
                    budget.toSeconds());

            List<Map<String, Object>> progress = new ArrayList<>();
            long deadline = t0 + budget.toNanos();
            // Decided: a row EXCLUDED at once, or through the gate (SENDING and after); members without a row yet
            // are not decided. The gate passes confirmed readers immediately before their send, so at the rate.
            double prepared = -1;
            double firstSent = -1;
            long open = size;
            double lastLog = 0;
            while (System.nanoTime() < deadline) {
                Bench.sleep(500);
                double s = (System.nanoTime() - t0) / 1e9;
                io.restassured.path.json.JsonPath v = w.req().get(w.api() + "/issues/" + issue).then().statusCode(200)
                        .extract().jsonPath();
                boolean done = v.getBoolean("preparation.done");
                long rows = v.getLong("preparation.decided");
                long pending = env.rowsIn(issue, "PENDING", "CLAIMED");
                if (firstSent < 0 && v.getLong("counts.sent") > 0) {
                    firstSent = s;
                }
                if (done && prepared < 0) {
                    prepared = s;
                }
                open = (size - rows) + pending;
                Map<String, Object> p = Bench.object();
                p.put("seconds", Bench.round(s, 1));
                p.put("rowsWritten", rows);
                p.put("decided", size - open);
                progress.add(p);
                if (s - lastLog >= 30) {
                    Bench.log("%.0f s: %,d rows written, %,d of %,d members decided", s, rows, size - open, size);
                    lastLog = s;
                }
                if (done && pending == 0) {
                    break;
                }
            }
            double allSeconds = (System.nanoTime() - t0) / 1e9;
            long decided = size - open;
            boolean finished = open == 0;
            Map<String, Object> process = window.result();
            if (!finished) {
                Bench.log("budget over with %,d members open: cancelling the issue", open);
                w.req().post(w.api() + "/issues/" + issue + "/cancel").then().statusCode(200);
            }
            Map<String, Long> states = env.deliveryStates(issue);

            Bench.log("set-based reference: the gate's facts for all %,d rows in one query", size);
            Map<String, Object> reference = setBasedGate(env, w, issue);

            double decidedPerSecond = decided / allSeconds;
            double total = finished ? allSeconds : size / Math.max(decidedPerSecond, 1e-9);
            Map<String, Object> figures = Bench.object();
            figures.put("members", size);
            figures.put("sendNowRequestSeconds", Bench.round(request, 2));
            figures.put("preparedSeconds", prepared < 0 ? null : Bench.round(prepared, 1));
            figures.put("preparedRowsPerSecond", prepared <= 0 ? null : Bench.round(size / prepared, 0));
            figures.put("firstSentSeconds", firstSent < 0 ? null : Bench.round(firstSent, 1));
            figures.put("excluded", states.getOrDefault("EXCLUDED", 0L));
            figures.put("finished", finished);
            figures.put("decidedMembers", decided);
            figures.put(finished ? "allDecidedSeconds" : "allDecidedSecondsProjected", Bench.round(total, 1));
            figures.put("ratioToTarget10s", Bench.ratio(10, total));
            double referenceSeconds = ((Number) reference.get("seconds")).doubleValue();
            figures.put("setBasedGateSeconds", referenceSeconds);
            figures.put("rowsByState", env.deliveryStates(issue));
            result.put("figures", figures);
            result.put("setBasedReference", reference);
            result.put("process", process);
            result.put("progress", progress);
        }
        result.put("finishedAt", Instant.now().toString());
        Bench.write("gate", result);
    }

    /**
     * Chains of the list members: per hundred members, {@code confirmedPercent} confirmed, the others evenly
     * pending, withdrawn, suppressed, imported (no consent proven yet) and expired.
     */
    static List<List<ConsentEventType>> chains(int confirmedPercent) {
        var R = ConsentEventType.REQUESTED;
        var C = ConsentEventType.CONFIRMED;
        List<List<ConsentEventType>> excluded = List.of(List.of(R), List.of(R, C, ConsentEventType.WITHDRAWN),
                List.of(R, C, ConsentEventType.SUPPRESSED), List.of(ConsentEventType.IMPORTED),
                List.of(R, C, ConsentEventType.EXPIRED));
        List<List<ConsentEventType>> chains = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            chains.add(i < confirmedPercent ? List.of(R, C) : excluded.get(i % excluded.size()));
        }
        return chains;
    }

    /**
     * What the gate reads per row ({@code ConsentAudience.recipient}: the subscriber, the list's and the "all
     * lists" state, the last interaction), for every row of the issue in one statement, as the application role.
     */
    private static Map<String, Object> setBasedGate(BenchEnvironment env, BenchEnvironment.Workspace w, String issue)
            throws Exception {
        String sql = """
                SELECT coalesce(cl.state, ca.state) AS state, count(*), max(li.at)
                FROM issue_deliveries d
                JOIN subscribers s ON s.tenant_id = d.tenant_id AND s.id = d.subscriber_id
                LEFT JOIN consent_states cl ON cl.tenant_id = s.tenant_id AND cl.subscriber_id = s.id AND cl.list_id = ?
                LEFT JOIN consent_states ca ON ca.tenant_id = s.tenant_id AND ca.subscriber_id = s.id AND ca.list_id IS NULL
                LEFT JOIN LATERAL (SELECT max(e.occurred_at) AS at FROM consent_events e WHERE e.tenant_id = s.tenant_id
                    AND e.subscriber_id = s.id AND e.source IN ('WHATSAPP', 'LANDING_PAGE')) li ON true
                WHERE d.tenant_id = ? AND d.issue_id = ?::uuid
                GROUP BY 1""";
        try (Connection c = env.applicationRole()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("SELECT set_config('consentcast.tenant_id', ?, true)")) {
                st.setString(1, w.tenantId());
                st.execute();
            }
            Map<String, Object> byState = Bench.object();
            long rows = 0;
            long t0 = System.nanoTime();
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setObject(1, w.listId());
                st.setString(2, w.tenantId());
                st.setString(3, issue);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        byState.put(String.valueOf(rs.getString(1)), rs.getLong(2));
                        rows += rs.getLong(2);
                    }
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            c.commit();
            Map<String, Object> r = Bench.object();
            r.put("rows", rows);
            r.put("seconds", Bench.round(s, 2));
            r.put("rowsPerSecond", Bench.round(rows / s, 0));
            r.put("byState", byState);
            return r;
        }
    }
}
