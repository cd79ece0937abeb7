package io.consentcast.dispatch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.testsupport.LedgerGenerator;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A probe, not a test (issue 18, performance round two; docs/PERFORMANCE.md section 7): the two pages the issue
 * names at a realistic size, each view timed against a trivial request in the same run, through the production
 * paths (the dashboard page, the issue API the issue page polls). Runs only when asked:
 * {@code -Dprobe.views=200000} (ledger events: half as many readers, all in the issue's audience). Prints its figures; asserts
 * nothing about time.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "probe.views", matches = "\\d+")
class PollingViewsProbeTest {

    private static final int ROUNDS = 7;

    // The dashboard's query before issue 18 round two (ConsentHistory at 395aebe), run beside the new page.
    private static final String CONSENT = "CASE e.type WHEN 'REQUESTED' THEN 'PENDING' WHEN 'CONFIRMED' THEN 'CONFIRMED'"
            + " WHEN 'WITHDRAWN' THEN 'WITHDRAWN' WHEN 'EXPIRED' THEN 'EXPIRED' WHEN 'IMPORTED' THEN 'IMPORTED'"
            + " WHEN 'ERASED' THEN 'WITHDRAWN' END";

    /** The suppression an event switches, as SQL (null: unchanged). */
    private static final String SUPPRESSION = "CASE e.type WHEN 'SUPPRESSED' THEN true WHEN 'UNSUPPRESSED' THEN false"
            + " WHEN 'ERASED' THEN true END";

    /** One change of state of one (subscriber, list): the day it happened, the state before (null: none) and after. */
    private static final String OLD_CHANGES = "WITH touched AS (SELECT DISTINCT subscriber_id FROM consent_events"
            + " WHERE occurred_at >= :from),"
            + " ev AS (SELECT cs.subscriber_id, cs.list_id, e.seq, e.occurred_at, " + CONSENT + " AS consent, "
            + SUPPRESSION + " AS supp FROM consent_states cs JOIN touched t ON t.subscriber_id = cs.subscriber_id"
            + " JOIN consent_events e ON e.subscriber_id = cs.subscriber_id"
            + " AND (e.list_id = cs.list_id OR e.list_id IS NULL) WHERE cs.list_id IS NOT NULL),"
            + " grouped AS (SELECT ev.*, count(consent) OVER w AS cg, count(supp) OVER w AS sg FROM ev"
            + " WINDOW w AS (PARTITION BY subscriber_id, list_id ORDER BY seq)),"
            + " filled AS (SELECT subscriber_id, list_id, seq, occurred_at,"
            + " first_value(consent) OVER (PARTITION BY subscriber_id, list_id, cg ORDER BY seq) AS consent,"
            + " coalesce(first_value(supp) OVER (PARTITION BY subscriber_id, list_id, sg ORDER BY seq), false) AS supp"
            + " FROM grouped),"
            + " states AS (SELECT subscriber_id, list_id, seq, occurred_at,"
            + " CASE WHEN supp THEN 'SUPPRESSED' ELSE consent END AS state FROM filled),"
            + " changes AS (SELECT occurred_at, state,"
            + " lag(state) OVER (PARTITION BY subscriber_id, list_id ORDER BY seq) AS before FROM states)"
            + " SELECT CAST(timezone(:zone, occurred_at) AS date) AS day, before, state, count(*) FROM changes"
            + " WHERE occurred_at >= :from AND state IS DISTINCT FROM before GROUP BY 1, 2, 3";


    @Inject
    DispatchFixture fx;

    @Inject
    CloudFixture cf;

    @Inject
    io.consentcast.tenancy.TenantScope scope;

    @Inject
    jakarta.persistence.EntityManager em;

    @Inject
    io.consentcast.consent.ConsentAudience audience;

    @Inject
    io.consentcast.whatsapp.CostEstimates costs;

    @Inject
    io.consentcast.whatsapp.PortfolioCapacity capacity;

    @Inject
    java.time.Clock clock;

    @Inject
    io.consentcast.whatsapp.ChannelNumbers numbers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @Test
    void dashboardAndIssuePollAgainstATrivialRequest() throws Exception {
        long events = Long.parseLong(System.getProperty("probe.views"));
        CloudFixture.Cloud c = cf.cloud("probe");
        DispatchFixture.Workspace w = c.w();
        // Every reader requested and confirmed: events / 2 readers, all in the issue's audience.
        List<List<ConsentEventType>> chains = List.of(List.of(ConsentEventType.REQUESTED, ConsentEventType.CONFIRMED));
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            LedgerGenerator.Result g = LedgerGenerator.generate(db, w.tenantId(), w.listId(), events / 2, chains, true,
                    "probe" + (System.nanoTime() % 100000));
            System.out.printf("PROBE generated %,d events for %,d subscribers in %d s%n", g.events(), g.subscribers(),
                    g.took().toSeconds());
        }
        Runnable trivial = () -> w.owner().req().get("/api/tenants/" + w.slug()).then().statusCode(200);
        UUID reader = fx.confirmed(w, DispatchFixture.number());

        double[] append = new double[ROUNDS];
        double[] dashboard = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            ConsentEventType t = k % 2 == 0 ? ConsentEventType.WITHDRAWN : ConsentEventType.CONFIRMED;
            append[k] = millis(() -> fx.event(w, reader, t, false)); // a new event: the view is not cached
            dashboard[k] = millis(() -> w.owner().req().accept("text/html").get("/t/" + w.slug()).then()
                    .statusCode(200));
        }
        double[] oldQuery = new double[ROUNDS];
        double[] newQuery = new double[ROUNDS];
        java.time.Instant from = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).minusDays(89)
                .atStartOfDay(java.time.ZoneId.of("Europe/Berlin")).toInstant();
        for (int k = 0; k < ROUNDS; k++) {
            oldQuery[k] = millis(() -> scope.run(w.tenantId(), () -> em.createNativeQuery(OLD_CHANGES)
                    .setParameter("from", io.consentcast.shared.SqlValues.ts(from))
                    .setParameter("zone", "Europe/Berlin").getResultList()));
            newQuery[k] = millis(() -> scope.run(w.tenantId(), () -> em.createNativeQuery("SELECT day, state,"
                    + " sum(readers) FROM consent_daily_changes WHERE day >= :first GROUP BY day, state")
                    .setParameter("first", java.time.LocalDate.now().minusDays(89)).getResultList()));
        }
        double trivialMs = median(repeat(trivial));
        report("dashboard (new event before each view)", dashboard, trivialMs);
        report("dashboard history query before (ledger replay)", oldQuery, trivialMs);
        report("dashboard history query after (consent_daily_changes)", newQuery, trivialMs);
        report("consent append (one event)", append, trivialMs);

        String id = w.owner().req().body(java.util.Map.of("list", "morgen", "title", "Probe", "template",
                java.util.Map.of("name", "morning_briefing", "language", "de", "parameters", List.of("Probe"))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        fx.prepare(w, id);
        // Preparing 100,000 rows on a busy machine outlasts the test token: a fresh one for the same user.
        io.consentcast.testsupport.Api owner = new io.consentcast.testsupport.Api(w.owner().subject(),
                w.owner().email(), io.consentcast.testsupport.Tokens.of(w.owner().subject(), w.owner().email()));
        Runnable fresh = () -> owner.req().get("/api/tenants/" + w.slug()).then().statusCode(200);
        Supplier<io.restassured.path.json.JsonPath> issue = () -> owner.req().get(w.issues() + "/" + id).then()
                .statusCode(200).extract().jsonPath();
        double[] poll = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            poll[k] = millis(issue::get);
        }
        System.out.printf("PROBE issue: %s, %d open rows%n", issue.get().getString("status"),
                issue.get().getLong("counts.pending"));
        // What the issue view computed on every poll before (IssueOutlook at 395aebe): the open rows' numbers and
        // the plan over them, the sendable rows' numbers and the estimate over them.
        double[] before = new double[ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            before[k] = millis(() -> scope.run(w.tenantId(), () -> {
                UUID issueId = UUID.fromString(id);
                List<String> open = audience.phones(em.createQuery("select d.subscriberId from IssueDelivery d"
                        + " where d.issueId = :id and d.state in (:open)", UUID.class).setParameter("id", issueId)
                        .setParameter("open", List.of(DeliveryState.PENDING, DeliveryState.CLAIMED)).getResultList());
                capacity.plan(numbers.forList(w.listId()), open.stream().map(p -> p.substring(1)).toList(),
                        clock.instant());
                List<String> sendable = audience.phones(em.createQuery("select d.subscriberId from IssueDelivery d"
                        + " where d.issueId = :id and d.state <> :ex", UUID.class).setParameter("id", issueId)
                        .setParameter("ex", DeliveryState.EXCLUDED).getResultList());
                costs.estimate(sendable, io.consentcast.whatsapp.PricingCategory.MARKETING);
            }));
        }
        double trivialMs2 = median(repeat(fresh));
        report("issue poll (GET issue API, after)", poll, trivialMs2);
        report("issue outlook computation before (plan + estimate over the audience, per poll)", before, trivialMs2);
    }

    private static double[] repeat(Runnable r) {
        double[] out = new double[ROUNDS * 3];
        for (int k = 0; k < out.length; k++) {
            out[k] = millis(r);
        }
        return out;
    }

    private static double millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void report(String what, double[] ms, double trivialMs) {
        List<String> each = new ArrayList<>();
        for (double m : ms) {
            each.add(String.format("%.0f", m));
        }
        System.out.printf("PROBE %s: median %.1f ms (first %.0f; all %s), trivial request %.1f ms, ratio %.1f%n",
                what, median(ms), ms[0], each, trivialMs, median(ms) / trivialMs);
    }
}
