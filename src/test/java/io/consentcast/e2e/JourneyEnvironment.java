package io.consentcast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * The real parts a user meets: Keycloak (unpacked from Maven Central into {@code target/} by the pom) with the
 * project's realm, and the packaged application in production mode ({@link ApplicationProcess}) against
 * PostgreSQL, that Keycloak and a WireMock playing Meta's Graph API ({@link #meta}; the journey stubs what it
 * needs).
 *
 * <p>
 * Settings (system properties, set by the pom where noted):
 * <ul>
 * <li>{@code e2e.keycloak.home}: the unpacked Keycloak (pom)</li>
 * <li>{@code e2e.app.jar}: {@code target/quarkus-app/quarkus-run.jar} (pom)</li>
 * <li>{@code e2e.db.url}: default the database {@code consentcast_e2e} on the server of {@code CONSENTCAST_DB_URL}
 * (created by {@code .ci/db-setup.sh consentcast_e2e}) or, without it, on the build's embedded PostgreSQL
 * ({@link EndToEndDatabase})</li>
 * <li>{@code e2e.app.env.NAME}: an environment variable for the application</li>
 * <li>{@code e2e.debug=true}: the OIDC flow in {@code target/journey/application.log}</li>
 * </ul>
 */
final class JourneyEnvironment implements AutoCloseable {

    static final Path OUT = Path.of("target", "journey");
    static final Path REALM = Path.of("deploy", "keycloak", "consentcast-realm.json");

    private final Processes processes = new Processes();
    private ApplicationProcess app;
    final String keycloakUrl;
    final String appUrl;
    final String realmUrl;
    private final int keycloakPort = Processes.freePort();
    private final int appPort = Processes.freePort();

    private final String clientSecret = secret(16);
    /** The password of Keycloak's bootstrap admin (master realm), for {@link #markEmailVerified(String)}. */
    private final String keycloakAdminPassword = secret(12);
    /** What Meta and the application share: the app secret signs webhooks, the verify token subscribes them. */
    final String whatsappAppSecret = secret(16);
    final String whatsappVerifyToken = secret(8);
    /** Meta's Graph API, played by WireMock on a free port. */
    final WireMockServer meta = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    JourneyEnvironment() {
        // Two different host names, as in production: Keycloak's cookies and the application's stay apart.
        keycloakUrl = "http://127.0.0.1:" + keycloakPort;
        appUrl = "http://localhost:" + appPort;
        realmUrl = keycloakUrl + "/realms/consentcast";
    }

    JourneyEnvironment start() throws IOException {
        deleteRecursively(OUT); // no screenshot or log of an earlier run left to mislead
        Files.createDirectories(OUT);
        meta.start();
        startKeycloak();
        startApplication();
        return this;
    }

    private void startKeycloak() throws IOException {
        Path home = Path.of(System.getProperty("e2e.keycloak.home", "target/keycloak-26.5.6")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak is not unpacked at " + home
                    + " (the pom unpacks org.keycloak:keycloak-quarkus-dist in pre-integration-test)");
        }
        // A fresh Keycloak database every run, so the realm below is always the one imported.
        deleteRecursively(home.resolve("data"));
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Files.writeString(imports.resolve("consentcast-realm.json"), testRealm());

        Map<String, String> env = new LinkedHashMap<>();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", keycloakAdminPassword);
        // The realm file reads these two placeholders from the environment, as in deploy/compose.yaml.
        env.put("CONSENTCAST_OIDC_CLIENT_SECRET", clientSecret);
        env.put("CONSENTCAST_BASE_URL", appUrl);
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
        Path log = OUT.resolve("keycloak.log").toAbsolutePath();
        Process kc = processes.start("Keycloak", home, log, env, List.of("bash", "bin/kc.sh", "start-dev",
                "--http-port=" + keycloakPort, "--http-management-port=" + Processes.freePort(), "--import-realm"));
        processes.awaitHttpOk("Keycloak", kc, log, URI.create(realmUrl + "/.well-known/openid-configuration"),
                // Under load (a shared CI machine) Keycloak has taken over 4 minutes to start.
                Duration.ofMinutes(6));
    }

    /** Lifetime of Keycloak's access and ID tokens in the journey (production: 5 minutes). */
    static final int TOKEN_LIFESPAN_SECONDS = 15;

    /**
     * The project's realm as it is, except e-mail verification (there is no mail server here; production keeps
     * it on, docs/deploy.md: configure SMTP) and short-lived tokens, so that the journey also meets an expired
     * session.
     */
    private static String testRealm() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode realm = (ObjectNode) json.readTree(REALM.toFile());
        realm.put("verifyEmail", false);
        realm.put("accessTokenLifespan", TOKEN_LIFESPAN_SECONDS);
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(realm);
    }

    /**
     * Does what the link in Keycloak's verification e-mail does (there is no mail server here, so the realm's
     * {@code verifyEmail} is off and registered users' tokens say {@code email_verified: false}): marks the user's
     * address verified through Keycloak's admin REST API. Their next login's tokens say {@code true}.
     */
    void markEmailVerified(String email) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=password&client_id=admin-cli&username=admin&password="
                + URLEncoder.encode(keycloakAdminPassword, StandardCharsets.UTF_8);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(keycloakUrl
                + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        check(login, 200, "admin login");
        String bearer = "Bearer " + json.readTree(login.body()).path("access_token").asText();
        String users = keycloakUrl + "/admin/realms/consentcast/users";
        HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(users + "?exact=true&email="
                + URLEncoder.encode(email, StandardCharsets.UTF_8))).header("Authorization", bearer).build(),
                HttpResponse.BodyHandlers.ofString());
        check(found, 200, "finding " + email);
        String id = json.readTree(found.body()).path(0).path("id").asText();
        if (id.isEmpty()) {
            throw new IllegalStateException("Keycloak has no user " + email + ": " + found.body());
        }
        // The whole representation goes back with only emailVerified changed (a partial one could drop fields).
        HttpResponse<String> user = http.send(HttpRequest.newBuilder(URI.create(users + "/" + id))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
        check(user, 200, "reading " + email);
        ObjectNode representation = (ObjectNode) json.readTree(user.body());
        representation.put("emailVerified", true);
        HttpResponse<String> updated = http.send(HttpRequest.newBuilder(URI.create(users + "/" + id))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(representation))).build(),
                HttpResponse.BodyHandlers.ofString());
        check(updated, 204, "verifying " + email);
    }

    private static void check(HttpResponse<String> response, int expected, String what) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException("Keycloak's admin API, " + what + ": " + response.statusCode() + " "
                    + response.body());
        }
    }

    private void startApplication() {
        Map<String, String> env = new LinkedHashMap<>();
        if (Boolean.getBoolean("e2e.debug")) { // -De2e.debug=true: the OIDC flow in application.log
            env.put("QUARKUS_LOG_CATEGORY__IO_QUARKUS_OIDC__LEVEL", "DEBUG");
        }
        app = ApplicationProcess.builder(EndToEndDatabase.url("e2e.db.url", "consentcast_e2e"), realmUrl)
                .logDir(OUT).oidcClient("consentcast", clientSecret).graphUrl(meta.baseUrl())
                .whatsappSecrets(whatsappAppSecret, whatsappVerifyToken)
                // Issues go out at any hour: CI runs at night too (the workspace's settings page can narrow it).
                .env("CONSENTCAST_DISPATCH_DEFAULT_SENDING_HOURS", "00:00-00:00")
                .start("application", appPort, env);
    }

    static String secret(int bytes) {
        return ApplicationProcess.secret(bytes);
    }

    /** Health and metrics: the application's management port. */
    String managementUrl() {
        return app.managementUrl();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    public void close() {
        try {
            if (app != null) {
                app.close();
            }
            processes.close();
        } finally {
            if (meta.isRunning()) {
                meta.stop();
            }
        }
    }
}
