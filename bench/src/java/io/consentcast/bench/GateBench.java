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
 * <li><b>materialise</b>: "Send now" ({@code POST /issues/{id}/send}) runs the preflight and
 * materialises the audience ({@code IssueService.materialise}): one {@code INSERT ... SELECT} of a delivery row
 * per member from {@code ConsentAudience.DECISIONS}, in the request; members who are not confirmed are EXCLUDED
 * with their reason right there. Its duration is the time to materialise.</li>
 * <li><b>gate</b>: the engine then passes the PENDING rows (the confirmed readers) through the consent gate
 * immediately before each message, at the number's rate. The benchmark follows the rows until none is PENDING
 * or CLAIMED (every member decided), or until
 * {@code budget} seconds (default 300) have passed; then it reports the rate at which rows were decided and
 * the time projected for all of them, and cancels the issue.</li>
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

            Bench.log("send now: preflight and materialising %,d delivery rows", size);
            ProcessSampler.Window window = env.sampler.window("gate");
            long t0 = System.nanoTime();
            String status = w.req().post(w.api() + "/issues/" + issue + "/send").then().statusCode(200)
                    .extract().path("status");
            double materialise = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> states = env.deliveryStates(issue);
            Map<String, Long> atStart = states;
            if (!"SENDING".equals(status) || BenchEnvironment.total(states) != size) {
                throw new IllegalStateException("After 'send now' the issue is " + status + " with "
                        + BenchEnvironment.total(states) + " delivery rows, expected SENDING with " + size);
            }
            Bench.log("materialised in %.2f s; following the gate for up to %d s", materialise, budget.toSeconds());

            List<Map<String, Object>> progress = new ArrayList<>();
            long gateStart = System.nanoTime();
            long deadline = gateStart + budget.toNanos();
            // Decided: EXCLUDED, or through the gate (SENDING and after); the gate passes confirmed readers
            // immediately before their send, so at the number's rate.
            long open = states.getOrDefault("PENDING", 0L) + states.getOrDefault("CLAIMED", 0L);
            double lastLog = 0;
            while (open > 0 && System.nanoTime() < deadline) {
                Bench.sleep(500);
                open = env.rowsIn(issue, "PENDING", "CLAIMED");
                double s = (System.nanoTime() - gateStart) / 1e9;
                Map<String, Object> p = Bench.object();
                p.put("seconds", Bench.round(s, 1));
                p.put("decided", size - open);
                progress.add(p);
                if (s - lastLog >= 30) {
                    Bench.log("%.0f s: %,d of %,d rows decided", s, size - open, size);
                    lastLog = s;
                }
            }
            double gateSeconds = (System.nanoTime() - gateStart) / 1e9;
            long decided = size - open;
            boolean finished = open == 0;
            Map<String, Object> process = window.result();
            if (!finished) {
                Bench.log("budget over with %,d rows open: cancelling the issue", open);
                w.req().post(w.api() + "/issues/" + issue + "/cancel").then().statusCode(200);
            }

            Bench.log("set-based reference: the gate's facts for all %,d rows in one query", size);
            Map<String, Object> reference = setBasedGate(env, w, issue);

            double decidedPerSecond = decided / gateSeconds;
            double gateTotal = finished ? gateSeconds : size / Math.max(decidedPerSecond, 1e-9);
            Map<String, Object> figures = Bench.object();
            figures.put("members", size);
            figures.put("materialiseSeconds", Bench.round(materialise, 2));
            figures.put("materialiseRowsPerSecond", Bench.round(size / materialise, 0));
            figures.put("excludedWhenMaterialised", atStart.getOrDefault("EXCLUDED", 0L));
            figures.put("pendingForTheGate", atStart.getOrDefault("PENDING", 0L));
            figures.put("gateFinished", finished);
            figures.put("gateDecidedRows", decided);
            figures.put("gateDecidedPerSecond", Bench.round(decidedPerSecond, 1));
            figures.put(finished ? "gateSeconds" : "gateSecondsProjected", Bench.round(gateTotal, 1));
            figures.put(finished ? "materialiseAndGateSeconds" : "materialiseAndGateSecondsProjected",
                    Bench.round(materialise + gateTotal, 1));
            figures.put("ratioToTarget10s", Bench.ratio(10, materialise + gateTotal));
            double referenceSeconds = ((Number) reference.get("seconds")).doubleValue();
            figures.put("setBasedGateSeconds", referenceSeconds);
            figures.put("ratioToSetBasedGate", Bench.ratio(materialise + gateTotal, materialise + referenceSeconds));
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
