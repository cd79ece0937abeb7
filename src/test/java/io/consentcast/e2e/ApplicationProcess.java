package io.consentcast.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) running in production mode as an
 * operating-system process, configured only through its environment variables as in production (README,
 * "Production configuration"). Used by the browser journey, by the several-instances test and by anything else
 * that needs the real application outside the test JVM.
 *
 * <p>
 * A {@link Builder} holds what instances of one deployment share: the database, the OIDC realm, Meta's Graph
 * address and every secret (an access token encrypted by one instance must be readable by the other, a ledger
 * hash keyed alike). Each {@link Builder#start(String)} then starts one more instance on its own port:
 *
 * <pre>
 * ApplicationProcess.Builder app = ApplicationProcess.builder(dbUrl, oidcRealmUrl).graphUrl(meta.baseUrl())
 *         .logDir(Path.of("target", "bench"));
 * try (ApplicationProcess a = app.start("a"); ApplicationProcess b = app.start("b")) { ... a.url() ... }
 * </pre>
 *
 * {@link Builder#startAll} starts several at once (they migrate the shared database under Flyway's lock).
 * {@code -De2e.app.env.NAME=value} adds or overrides a variable of every instance (e.g. a fake's address).
 */
public final class ApplicationProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final String url;
    private final Path log;
    private final Map<String, String> env;
    private final Processes processes = new Processes();
    private Process process;

    private ApplicationProcess(String name, int port, String url, Path log, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.url = url;
        this.log = log;
        this.env = env;
    }

    public static Builder builder(String dbUrl, String oidcUrl) {
        return new Builder(dbUrl, oidcUrl);
    }

    /** What the instances of one deployment share, and how to start one. */
    public static final class Builder {

        private Path jar = Path.of(System.getProperty("e2e.app.jar", "target/quarkus-app/quarkus-run.jar"));
        private String host = "localhost";
        private Path logDir = Path.of("target", "e2e");
        private String heap = "-Xmx512m";
        private Duration readyTimeout = Duration.ofMinutes(2);
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(String dbUrl, String oidcUrl) {
            env.put("CONSENTCAST_DB_URL", Objects.requireNonNull(dbUrl, "dbUrl"));
            env.put("CONSENTCAST_DB_USER", "consentcast_app");
            env.put("CONSENTCAST_DB_PASSWORD", "consentcast_app");
            env.put("CONSENTCAST_DB_OWNER_USER", "consentcast_owner");
            env.put("CONSENTCAST_DB_OWNER_PASSWORD", "consentcast_owner");
            env.put("CONSENTCAST_OIDC_URL", Objects.requireNonNull(oidcUrl, "oidcUrl"));
            env.put("CONSENTCAST_OIDC_CLIENT_ID", "consentcast");
            env.put("CONSENTCAST_OIDC_CLIENT_SECRET", "");
            env.put("CONSENTCAST_SESSION_SECRET", secret(32));
            env.put("CONSENTCAST_CSRF_KEY", secret(32));
            env.put("CONSENTCAST_LEDGER_HMAC_KEY", secret(32));
            env.put("CONSENTCAST_WHATSAPP_APP_SECRET", secret(16));
            env.put("CONSENTCAST_WHATSAPP_VERIFY_TOKEN", secret(8));
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            env.put("CONSENTCAST_SECRETS_KEY", Base64.getEncoder().encodeToString(key));
        }

        /** The packaged application; default the system property {@code e2e.app.jar} (set by the pom). */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        /** The host name in the instances' URLs (default {@code localhost}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Where each instance writes {@code <name>.log} (default {@code target/e2e}). */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** The JVM's maximum heap option (default {@code -Xmx512m}). */
        public Builder heap(String heapOption) {
            this.heap = heapOption;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public Builder oidcClient(String clientId, String clientSecret) {
            env.put("CONSENTCAST_OIDC_CLIENT_ID", clientId);
            env.put("CONSENTCAST_OIDC_CLIENT_SECRET", clientSecret);
            return this;
        }

        /** Meta's Graph API (a fake's address in tests). */
        public Builder graphUrl(String graphUrl) {
            return env("CONSENTCAST_WHATSAPP_GRAPH_URL", graphUrl);
        }

        /** The Meta app secret that signs webhooks, and the token that subscribes them. */
        public Builder whatsappSecrets(String appSecret, String verifyToken) {
            env.put("CONSENTCAST_WHATSAPP_APP_SECRET", appSecret);
            return env("CONSENTCAST_WHATSAPP_VERIFY_TOKEN", verifyToken);
        }

        /** Any other variable, shared by every instance started from here on; overrides the defaults above. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        public String whatsappAppSecret() {
            return env.get("CONSENTCAST_WHATSAPP_APP_SECRET");
        }

        public String whatsappVerifyToken() {
            return env.get("CONSENTCAST_WHATSAPP_VERIFY_TOKEN");
        }

        /** Starts one instance on a free port and waits until it is ready; {@code name} names its log file. */
        public ApplicationProcess start(String name) {
            return start(name, Processes.freePort(), Map.of());
        }

        /**
         * Starts one instance on {@code port} with extra variables of its own (they override the shared ones) and
         * waits until {@code /q/health/ready} answers 200. Unless set, {@code CONSENTCAST_BASE_URL} is its own URL.
         */
        public ApplicationProcess start(String name, int port, Map<String, String> instanceEnv) {
            ApplicationProcess app = launch(name, port, instanceEnv);
            try {
                app.awaitReady(readyTimeout);
            } catch (RuntimeException | Error e) {
                app.close();
                throw e;
            }
            return app;
        }

        /**
         * Starts {@code instanceEnvs.size()} instances at once, named {@code <prefix>-1}, {@code <prefix>-2}, ...,
         * each on a free port with its own extra variables, and waits until all are ready (all or none).
         */
        public List<ApplicationProcess> startAll(String prefix, List<Map<String, String>> instanceEnvs) {
            List<ApplicationProcess> started = new ArrayList<>();
            try {
                for (int i = 0; i < instanceEnvs.size(); i++) {
                    started.add(launch(prefix + "-" + (i + 1), Processes.freePort(), instanceEnvs.get(i)));
                }
                for (ApplicationProcess app : started) {
                    app.awaitReady(readyTimeout);
                }
                return List.copyOf(started);
            } catch (RuntimeException | Error e) {
                started.forEach(ApplicationProcess::close);
                throw e;
            }
        }

        /** {@link #startAll(String, List)} of {@code count} instances without variables of their own. */
        public List<ApplicationProcess> startAll(String prefix, int count) {
            return startAll(prefix, java.util.Collections.nCopies(count, Map.of()));
        }

        private ApplicationProcess launch(String name, int port, Map<String, String> instanceEnv) {
            Path app = jar.toAbsolutePath();
            if (!Files.isRegularFile(app)) {
                throw new IllegalStateException("The packaged application is missing: " + app + " (run ./mvnw verify)");
            }
            String url = "http://" + host + ":" + port;
            Map<String, String> all = new LinkedHashMap<>();
            all.put("CONSENTCAST_BASE_URL", url);
            all.putAll(env);
            all.putAll(instanceEnv);
            // -De2e.app.env.NAME=value adds or overrides a variable of the application (e.g. a fake's address).
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("e2e.app.env."))
                    .forEach(k -> all.put(k.substring("e2e.app.env.".length()), System.getProperty(k)));
            all.put("PORT", String.valueOf(port));
            Path logFile;
            try {
                logFile = Files.createDirectories(logDir).resolve(name + ".log").toAbsolutePath();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ApplicationProcess instance = new ApplicationProcess(name, port, url, logFile, Map.copyOf(all));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            instance.process = instance.processes.start("Consentcast " + name, app.getParent(), logFile, all,
                    List.of(java, heap, "-jar", app.toString()));
            return instance;
        }
    }

    private void awaitReady(Duration timeout) {
        processes.awaitHttpOk("Consentcast " + name, process, log, URI.create(url + "/q/health/ready"), timeout);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code http://<host>:<port>}, without a trailing slash. */
    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    /** The variables it was started with (secrets included: for tests only). */
    public Map<String, String> env() {
        return env;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Ends the process at once (SIGKILL): no shutdown hook runs, work in flight is abandoned as in a crash. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the process gracefully (SIGTERM, forcibly after 20 seconds); does nothing when it has ended. */
    @Override
    public void close() {
        processes.close();
    }

    static String secret(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
