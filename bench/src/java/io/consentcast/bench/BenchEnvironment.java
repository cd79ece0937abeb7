package io.consentcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.consentcast.e2e.ApplicationProcess;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Tokens;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Everything a benchmark runs against, started in this order and stopped in reverse, also when a step fails:
 * a fresh PostgreSQL database ({@code -Dbench.db.url}, default {@code consentcast_bench}: dropped and created
 * again with {@code .ci/db-setup.sh}), the WireMock OIDC provider of the Quarkus test kit (so that
 * {@link io.consentcast.testsupport.Tokens} are accepted without Keycloak), optionally the fake Meta process
 * ({@link FakeMeta}) and the packaged application in production mode ({@link ApplicationProcess}), with a
 * {@link ProcessSampler} on it. Logs go to {@code bench/results/logs/}.
 */
final class BenchEnvironment implements AutoCloseable {

    final String name;
    final String dbUrl;
    final Instant startedAt = Instant.now();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "bench-shutdown");
    private OidcWiremockTestResource oidc;
    private Process fakeMeta;
    private int fakeMetaPort;
    ApplicationProcess app;
    ProcessSampler sampler;
    String postgresVersion;

    private BenchEnvironment(String name) {
        this.name = name;
        this.dbUrl = Bench.option("db.url", "jdbc:postgresql://127.0.0.1:5432/consentcast_bench");
    }

    /** What to start. */
    record Setup(Long fakeMetaLatencyMs, String heap, Map<String, String> appEnv, boolean profile) {

        /** The application's {@code -Xmx}: {@code -Dbench.heap}, default 512m. */
        static String appHeap() {
            return "-Xmx" + Bench.option("heap", "512m");
        }

        /** The Graph client's connection pool: {@code -Dbench.graphPool}, default 320 (DISPATCH.md for 1,000/s). */
        static String graphPool() {
            return Bench.option("graphPool", "320");
        }

        /** Dispatch and gate: the fake Meta answering after {@code latency} ms, the Graph pool at {@link #graphPool()}. */
        static Setup sending(long latency, boolean profile) {
            return new Setup(latency, appHeap(), Map.of("CONSENTCAST_WHATSAPP_CONNECTION_POOL_SIZE", graphPool()), profile);
        }
    }

    static BenchEnvironment start(String name, Setup setup) {
        BenchEnvironment env = new BenchEnvironment(name);
        // Maven stopped (Ctrl-C, timeout): the processes started here end with this JVM.
        Runtime.getRuntime().addShutdownHook(env.shutdownHook);
        try {
            env.startAll(setup);
            return env;
        } catch (RuntimeException | Error e) {
            env.close();
            throw e;
        }
    }

    private void startAll(Setup setup) {
        resetDatabase();
        Path logs = logDir();
        oidc = new OidcWiremockTestResource();
        Map<String, String> oidcConfig = oidc.start();
        toClose.add(oidc::stop);
        String keycloakUrl = oidcConfig.get("keycloak.url");
        if (keycloakUrl == null) {
            throw new IllegalStateException("The OIDC WireMock did not report keycloak.url: " + oidcConfig);
        }
        Map<String, String> env = new LinkedHashMap<>();
        // Issues may go out at any hour while benchmarks run.
        env.put("CONSENTCAST_DISPATCH_DEFAULT_SENDING_HOURS", "00:00-00:00");
        env.put("CONSENTCAST_KEYCLOAK_REGISTRATION", "false");
        env.putAll(setup.appEnv());
        if (setup.profile()) {
            env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + profileFile().toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        ApplicationProcess.Builder builder = ApplicationProcess.builder(dbUrl, keycloakUrl + "/realms/quarkus")
                .oidcClient("quarkus-web-app", "secret").logDir(logs).heap(setup.heap()).env(env)
                .readyTimeout(Duration.ofMinutes(3));
        if (setup.fakeMetaLatencyMs() != null) {
            startFakeMeta(setup.fakeMetaLatencyMs(), logs);
            builder.graphUrl(fakeMetaUrl());
        }
        Bench.log("starting the application (%s, log %s)", setup.heap(), logs.resolve(name + ".log"));
        app = builder.start(name);
        toClose.add(app);
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = app.port();
        sampler = new ProcessSampler(app.pid(), fakeMeta == null ? null : fakeMeta.pid(), app.managementUrl());
        toClose.add(sampler);
        Bench.log("application ready at %s (pid %d)", app.url(), app.pid());
    }

    Path logDir() {
        try {
            return Files.createDirectories(Bench.resultsDir().resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path profileFile() {
        return logDir().resolve(name + ".jfr");
    }

    /**
     * A full garbage collection in the application ({@code jcmd <pid> GC.run}), then its heap in use in bytes: what
     * the application really retains at this moment.
     */
    long heapAfterGc() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, String.valueOf(app.pid()), "GC.run").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + app.pid() + " GC.run failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return sampler.heapUsed();
    }

    // ------------------------------------------------------------------ database

    /** Drops the benchmark database and creates it again with the project's own script (roles included). */
    private void resetDatabase() {
        URI uri = URI.create(dbUrl.substring("jdbc:".length()));
        String db = uri.getPath().substring(1);
        if (!db.contains("bench")) {
            throw new IllegalStateException("-Dbench.db.url names the database '" + db + "', which the benchmark would"
                    + " drop and create again; use a database whose name contains 'bench'");
        }
        String admin = Bench.option("db.superuser", "postgres");
        try (Connection c = DriverManager.getConnection(dbUrl.replace("/" + db, "/postgres"), admin, "");
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            try (var rs = st.executeQuery("SHOW server_version")) {
                rs.next();
                postgresVersion = "PostgreSQL " + rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + dbUrl + " as superuser '" + admin
                    + "' (no password): " + e.getMessage(), e);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", ".ci/db-setup.sh", db).directory(Bench.projectDir().toFile())
                .redirectErrorStream(true);
        pb.environment().put("PGHOST", uri.getHost());
        pb.environment().put("PGPORT", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()));
        pb.environment().put("PGADMIN", admin);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(".ci/db-setup.sh " + db + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Bench.log("database %s created afresh (%s)", db, postgresVersion);
    }

    /** A connection as the PostgreSQL superuser (generating data, counting rows); row-level security does not apply. */
    Connection superuser() throws SQLException {
        return DriverManager.getConnection(dbUrl, Bench.option("db.superuser", "postgres"), "");
    }

    /** A connection as the application role, the same the application uses (row-level security applies). */
    Connection applicationRole() throws SQLException {
        return DriverManager.getConnection(dbUrl, "consentcast_app", "consentcast_app");
    }

    // ------------------------------------------------------------------ fake Meta

    private void startFakeMeta(long latencyMs, Path logs) {
        fakeMetaPort = freePort();
        Path log = logs.resolve(name + "-fake-meta.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + Bench.option("fake.heap", "1g"), "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), FakeMeta.class.getName(), "--port",
                String.valueOf(fakeMetaPort), "--latency-ms", String.valueOf(latencyMs));
        try {
            fakeMeta = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the fake Meta process", e);
        }
        Process started = fakeMeta;
        toClose.add(() -> stop(started));
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!fakeMeta.isAlive()) {
                throw new IllegalStateException("The fake Meta process ended with " + fakeMeta.exitValue() + ":\n"
                        + tail(log));
            }
            try {
                if (Files.readString(log).contains("FAKE-META READY")) {
                    Bench.log("fake Meta ready at %s, %d ms latency (pid %d)", fakeMetaUrl(), latencyMs, fakeMeta.pid());
                    return;
                }
            } catch (IOException e) {
                // not written yet
            }
            Bench.sleep(100);
        }
        throw new IllegalStateException("The fake Meta process was not ready within 60 s:\n" + tail(log));
    }

    String fakeMetaUrl() {
        return "http://127.0.0.1:" + fakeMetaPort;
    }

    int fakeMetaPort() {
        return fakeMetaPort;
    }

    long fakeMetaPid() {
        return fakeMeta.pid();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the product, through its API

    /** A workspace owned by a fresh user, with one German MARKETING list. */
    record Workspace(Api owner, String slug, String tenantId, UUID listId, String list) {

        String api() {
            return "/api/tenants/" + slug;
        }

        /** A bearer token of the owner minted now: tokens live five minutes, benchmarks longer. */
        String token() {
            return Tokens.of(owner.subject(), owner.email());
        }

        /** An API request as the owner, with a fresh token. */
        RequestSpecification req() {
            return new Api(owner.subject(), owner.email(), token()).req();
        }
    }

    Workspace workspace(String prefix) {
        Api owner = Api.newUser(prefix);
        String slug = owner.createWorkspace(prefix);
        var list = owner.req().body(Fixtures.germanList("ausgabe", "AUSGABE")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201).extract();
        String tenantId;
        try (Connection c = superuser(); var st = c.prepareStatement("SELECT id FROM tenants WHERE slug = ?")) {
            st.setString(1, slug);
            try (var rs = st.executeQuery()) {
                rs.next();
                tenantId = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Workspace(owner, slug, tenantId, UUID.fromString(list.path("id")), "ausgabe");
    }

    /**
     * Connects the workspace's Cloud API channel to the fake Meta (phone number {@code phoneNumberId}, account
     * {@code "2" + phoneNumberId}, which the fake lists the number in), syncs its templates and sets the dispatch
     * rate; sending hours all day.
     */
    void cloudChannel(Workspace w, String phoneNumberId, int ratePerSecond) {
        w.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId",
                "2" + phoneNumberId, "displayPhoneNumber", "+49 30 1234567", "accessToken", "EAAG-bench-" + phoneNumberId))
                .put(w.api() + "/channel").then().statusCode(200);
        w.req().post(w.api() + "/templates/sync").then().statusCode(200);
        w.req().body(Map.of("ratePerSecond", ratePerSecond, "sendingHoursStart", "00:00", "sendingHoursEnd",
                "00:00")).put(w.api() + "/dispatch-settings").then().statusCode(200);
    }

    /** A draft issue of the fake's approved template to the workspace's list; returns its id. */
    String draftIssue(Workspace w, String title) {
        return w.req().body(Map.of("list", w.list(), "title", title, "template",
                Map.of("name", FakeMeta.TEMPLATE, "language", "de", "parameters", List.of(title))))
                .post(w.api() + "/issues").then().statusCode(201).extract().path("id");
    }

    /** Delivery rows of an issue per state (read as the superuser, so the application's pool is not involved). */
    Map<String, Long> deliveryStates(String issueId) {
        Map<String, Long> states = new java.util.TreeMap<>();
        try (Connection c = superuser(); var st = c.prepareStatement("SELECT state, count(*) FROM issue_deliveries"
                + " WHERE issue_id = ?::uuid GROUP BY state")) {
            st.setString(1, issueId);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return states;
    }

    /**
     * Delivery rows of an issue in the given states, through the engine's index of open rows: cheap enough to
     * poll while the engine runs (counting every state reads the whole issue and took 0.4-0.8 s of the
     * database's CPU at 100,000 rows, every poll).
     */
    long rowsIn(String issueId, String... states) {
        try (Connection c = superuser(); var st = c.prepareStatement("SELECT count(*) FROM issue_deliveries"
                + " WHERE issue_id = ?::uuid AND state = ANY (?)")) {
            st.setString(1, issueId);
            st.setArray(2, c.createArrayOf("varchar", states));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows the engine has still to send or decide: PENDING, CLAIMED, SENDING. */
    long openRows(String issueId) {
        return rowsIn(issueId, "PENDING", "CLAIMED", "SENDING");
    }

    static long open(Map<String, Long> states) {
        return states.getOrDefault("PENDING", 0L) + states.getOrDefault("CLAIMED", 0L)
                + states.getOrDefault("SENDING", 0L);
    }

    static long total(Map<String, Long> states) {
        return states.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * An issue's status read as the superuser: cheap enough to poll while the engine runs (the API's issue view also
     * computes the issue's outlook, whose cost estimate parses every recipient's number: 17% of the application's
     * CPU at 100,000 readers when polled every 2 s, 2026-11-30).
     */
    String issueStatusInDatabase(String issueId) {
        try (Connection c = superuser(); var st = c.prepareStatement("SELECT status FROM newsletter_issues WHERE id = ?::uuid")) {
            st.setString(1, issueId);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String issueStatus(Workspace w, String issueId) {
        return w.req().get(w.api() + "/issues/" + issueId).then().statusCode(200).extract().path("status");
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
        stopAll();
    }

    private synchronized void stopAll() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("[bench] stopping " + toClose.get(i) + " failed: " + e);
            }
        }
        toClose.clear();
    }
}
