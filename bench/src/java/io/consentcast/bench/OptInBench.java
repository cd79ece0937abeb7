package io.consentcast.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Forms;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Benchmark 2, opt-in load: the public landing page under a fixed arrival rate of readers, each loading the form
 * (GET) and submitting it (POST with the page's CSRF token and cookie, a distinct valid German mobile number and
 * the consent box ticked), compared with a trivial endpoint of the same application ({@code /assets/favicon.svg}, a small static file on the same port) at
 * the same request rate in the same run.
 *
 * <p>
 * The application runs as deployed behind a reverse proxy (deploy/compose.yaml, the Helm chart): it honours
 * {@code X-Forwarded-For} from the proxy on 127.0.0.1 ({@code QUARKUS_HTTP_PROXY_*}). The load generator plays
 * that proxy and gives each reader an address of its own from 198.18.0.0/15 (the range reserved for benchmarks,
 * RFC 2544; it only appears in a header, nothing is sent there), so the per-IP limit of the landing page sees
 * distinct readers, as it would in production, and stays as configured.
 *
 * <p>
 * Order: a closed-loop warm-up ({@code warmup.users} readers, default 8, for {@code warmup} seconds, default 60),
 * the closed-loop capacity of each endpoint ({@code capacity}, {@code capacity.users} default 64, 20 s each), then
 * the open runs at the fixed rate: the trivial endpoint for half of {@code duration}, the submissions for
 * {@code duration} (an overloaded application keeps a backlog, so the measured run comes last).
 *
 * <p>
 * Options ({@code -Dbench.NAME}): {@code rate} submissions/s (1000), {@code duration} seconds (60), {@code heap}
 * (512m), {@code profile} (false: JFR of the application during the measured submissions, summarised in the
 * result).
 */
class OptInBench {

    private static final String USER_AGENT = "Mozilla/5.0 (Linux; Android 14) ConsentcastBench/1.0";

    @Test
    void optInLoad() throws Exception {
        double rate = Bench.longOption("rate", 1000);
        Duration duration = Bench.secondsOption("duration", 60);
        Duration warmup = Bench.secondsOption("warmup", 60);
        boolean capacity = Bench.boolOption("capacity", true);
        boolean profile = Bench.boolOption("profile", false);
        Map<String, Object> result = Bench.object();
        result.put("benchmark", "opt-in load");
        result.put("startedAt", Instant.now().toString());
        Map<String, String> proxy = Map.of("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true",
                "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true", "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
        try (BenchEnvironment env = BenchEnvironment.start("optin", new BenchEnvironment.Setup(null,
                BenchEnvironment.Setup.appHeap(), proxy, profile))) {
            result.put("machine", Bench.machine(env.postgresVersion));
            BenchEnvironment.Workspace w = env.workspace("optin");
            String path = "/p/" + w.slug() + "/" + w.list();
            int port = env.app.port();
            Map<String, Object> options = Bench.object();
            options.put("submissionsPerSecond", rate);
            options.put("durationSeconds", duration.toSeconds());
            options.put("warmupSeconds", warmup.toSeconds());
            options.put("warmupUsers", Bench.intOption("warmup.users", 8));
            options.put("appHeap", BenchEnvironment.Setup.appHeap());
            options.put("landingPage", path);
            options.put("clientAddresses", "X-Forwarded-For from 198.18.0.0/15, one per reader; the application trusts"
                    + " the proxy on 127.0.0.1 as in deploy/compose.yaml");
            result.put("options", options);

            long[] numbers = { 0 };
            try (OpenLoad load = new OpenLoad(Bench.intOption("connections", 256))) {
                OpenLoad.Scenario trivial = (k, intended, phase) -> get(load, port, "/assets/favicon.svg", null)
                        .compose(r -> expect(r, 200, "/assets/favicon.svg"));
                OpenLoad.Scenario submit = (k, intended, phase) -> submission(load, port, path, ++numbers[0], k,
                        intended, phase);

                // Closed loops first: they warm the JIT up without piling up a backlog the open runs would inherit,
                // and find the most each endpoint does. The open (fixed-rate) runs come last, the submissions last of all.
                int warmUsers = Bench.intOption("warmup.users", 8);
                Bench.log("warm-up: closed loop, %d users, %d s", warmUsers, warmup.toSeconds());
                OpenLoad.Phase warm = load.closed("warm-up", warmUsers, warmup, submit);
                result.put("warmup", warm.summary());
                if (capacity) {
                    int users = Bench.intOption("capacity.users", 64);
                    Bench.log("capacity: closed loop, %d users, 20 s per endpoint", users);
                    OpenLoad.Phase tc = load.closed("trivial-capacity", users, Duration.ofSeconds(20), trivial);
                    OpenLoad.Phase sc = load.closed("submission-capacity", users, Duration.ofSeconds(20), submit);
                    Map<String, Object> cap = Bench.object();
                    cap.put("trivialRequestsPerSecond", Bench.round(tc.achievedRate(), 1));
                    cap.put("submissionsPerSecond", Bench.round(sc.achievedRate(), 1));
                    cap.put("submissionCostInTrivialRequests", Bench.round(tc.achievedRate() / sc.achievedRate(), 2));
                    cap.put("trivial", tc.summary());
                    cap.put("submissions", sc.summary());
                    result.put("capacity", cap);
                }

                Bench.log("trivial endpoint /assets/favicon.svg: %d s at %.0f requests/s (a submission is two requests)",
                        duration.toSeconds() / 2, rate * 2);
                ProcessSampler.Window tw = env.sampler.window("trivial");
                OpenLoad.Phase t = load.open("trivial", rate * 2, duration.dividedBy(2), Duration.ofSeconds(30), trivial);
                result.put("trivial", withProcess(t.summary(), tw.result()));

                Bench.log("submissions: %d s at %.0f/s", duration.toSeconds(), rate);
                Instant from = Instant.now();
                ProcessSampler.Window sw = env.sampler.window("submissions");
                OpenLoad.Phase s = load.open("submissions", rate, duration, Duration.ofSeconds(30), submit);
                Instant to = Instant.now();
                result.put("submissions", withProcess(s.summary(), sw.result()));

                Map<String, Object> figures = Bench.object();
                var total = s.histogram("total");
                var trivialTotal = t.histogram("total");
                figures.put("submissionsPerSecond", Bench.round(s.achievedRate(), 1));
                figures.put("targetSubmissionsPerSecond", rate);
                figures.put("ratioToTarget", Bench.ratio(s.achievedRate(), rate));
                figures.put("errors", s.errorCount());
                if (total != null) {
                    figures.put("submissionP50Ms", OpenLoad.Phase.ms(total.getValueAtPercentile(50)));
                    figures.put("submissionP99Ms", OpenLoad.Phase.ms(total.getValueAtPercentile(99)));
                    figures.put("submissionP999Ms", OpenLoad.Phase.ms(total.getValueAtPercentile(99.9)));
                }
                if (trivialTotal != null) {
                    figures.put("trivialP50Ms", OpenLoad.Phase.ms(trivialTotal.getValueAtPercentile(50)));
                    figures.put("trivialP99Ms", OpenLoad.Phase.ms(trivialTotal.getValueAtPercentile(99)));
                    figures.put("trivialRequestsPerSecond", Bench.round(t.achievedRate(), 1));
                    if (total != null) {
                        figures.put("p99RatioToTrivial", Bench.ratio(total.getValueAtPercentile(99),
                                trivialTotal.getValueAtPercentile(99)));
                    }
                }
                figures.put("targetMet", s.errorCount() == 0 && s.achievedRate() >= 0.99 * rate && total != null
                        && total.getValueAtPercentile(99) < 100_000);
                result.put("figures", figures);
                result.put("database", databaseCheck(env, w));
                if (profile) {
                    env.app.close(); // the recording is written when the JVM exits
                    result.put("profile", Profile.summarise(env.profileFile(), from, to));
                }
            }
        }
        result.put("finishedAt", Instant.now().toString());
        Bench.write("optin", result);
    }

    private static Map<String, Object> withProcess(Map<String, Object> load, Map<String, Object> process) {
        load.put("process", process);
        return load;
    }

    /** GET the form, then POST it with its CSRF token and cookie; latency of each and of the whole. */
    private static Future<Void> submission(OpenLoad load, int port, String path, long number, long k, long intended,
            OpenLoad.Phase phase) {
        String ip = forwardedAddress(number);
        String phone = "+49151" + String.format("%08d", number % 100_000_000L);
        return get(load, port, path, ip).compose(r -> {
            if (r.statusCode() != 200) {
                return Future.failedFuture(new OpenLoad.StatusException(r.statusCode(), "GET form"));
            }
            String cookie = r.cookies().stream().filter(c -> c.startsWith("csrf-token=")).map(c -> c.split(";", 2)[0])
                    .findFirst().orElse(null);
            return r.body().map(body -> new String[] { Forms.csrfToken(body.toString(StandardCharsets.UTF_8)), cookie });
        }).compose(form -> {
            long posted = System.nanoTime();
            phase.record("get", posted - intended);
            String body = "csrf-token=" + form[0] + "&phone=" + phone.replace("+", "%2B")
                    + "&country=DE&consent=on&website=";
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/x-www-form-urlencoded")
                    .add("X-Forwarded-For", ip).add("User-Agent", USER_AGENT);
            if (form[1] != null) {
                headers.add("Cookie", form[1]);
            }
            return load.client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                    .setURI(path).setHeaders(headers)).compose(req -> req.send(Buffer.buffer(body)))
                    .compose(r -> r.statusCode() != 200
                            ? Future.<Buffer>failedFuture(new OpenLoad.StatusException(r.statusCode(), "POST form"))
                            : r.body())
                    .compose(b -> {
                        phase.record("post", System.nanoTime() - posted);
                        return b.toString(StandardCharsets.UTF_8).contains("wa.me") ? Future.succeededFuture()
                                : Future.failedFuture(new IllegalStateException("the confirmation page has no wa.me link"));
                    });
        });
    }

    private static Future<HttpClientResponse> get(OpenLoad load, int port, String path, String forwardedFor) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path)
                .addHeader("User-Agent", USER_AGENT).addHeader("Accept-Language", "de-DE,de;q=0.9");
        if (forwardedFor != null) {
            o.addHeader("X-Forwarded-For", forwardedFor);
        }
        return load.client.request(o).compose(req -> req.send());
    }

    private static Future<Void> expect(HttpClientResponse r, int status, String what) {
        return r.body().compose(b -> r.statusCode() == status ? Future.succeededFuture()
                : Future.failedFuture(new OpenLoad.StatusException(r.statusCode(), what)));
    }

    /** The k-th reader's address in 198.18.0.0/15 (131,072 addresses; reused only after that many readers). */
    static String forwardedAddress(long k) {
        long a = k % 131_072L;
        return "198." + (18 + (a >> 16)) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
    }

    /** What the database holds afterwards: requests recorded, and the distinct client addresses the page saw. */
    private static Map<String, Object> databaseCheck(BenchEnvironment env, BenchEnvironment.Workspace w) throws Exception {
        Map<String, Object> r = Bench.object();
        try (Connection c = env.superuser(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM consent_events WHERE tenant_id = '" + w.tenantId()
                    + "' AND type = 'REQUESTED'")) {
                rs.next();
                r.put("requestedEvents", rs.getLong(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM optin_requests WHERE tenant_id = '" + w.tenantId()
                    + "'")) {
                rs.next();
                r.put("optinRequests", rs.getLong(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT ip), count(*) FROM consent_evidence WHERE tenant_id = '"
                    + w.tenantId() + "'")) {
                rs.next();
                r.put("distinctClientAddresses", rs.getLong(1));
                r.put("evidenceRows", rs.getLong(2));
            }
        }
        return r;
    }
}
