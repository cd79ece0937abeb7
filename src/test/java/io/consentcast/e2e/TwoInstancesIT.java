package io.consentcast.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Tokens;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.specification.RequestSpecification;

/**
 * Several instances, one database: two packaged applications in production mode share a PostgreSQL database and
 * a WireMock playing Meta's Graph API. A few thousand readers opt in by WhatsApp alone (signed webhooks, spread
 * over both instances); one scheduled issue is sent by both instances together, and WireMock's request journal
 * proves that every reader got it exactly once. Then a second issue, during which one instance is killed
 * (SIGKILL): nobody gets two copies, and everybody whose delivery is not FAILED {@code outcome-unknown} gets it
 * exactly once.
 *
 * <p>
 * Which instance sent a message: each instance is configured with its own Graph address,
 * {@code <WireMock>/instance-1} and {@code <WireMock>/instance-2}, so the journal shows the sender in the path.
 * Identity: no Keycloak; Quarkus' WireMock OIDC test server ({@link OidcWiremockTestResource}) serves the realm
 * and {@link io.consentcast.testsupport.Tokens} signs the bearer tokens, which production mode accepts as it
 * would Keycloak's.
 *
 * <p>
 * Settings (system properties): {@code multi.db.url}, default the database {@code consentcast_multi} on the server
 * of {@code CONSENTCAST_DB_URL} (created by {@code .ci/db-setup.sh consentcast_multi}) or, without it, on the
 * build's embedded PostgreSQL ({@link EndToEndDatabase}); the test empties it first, so that no job of an earlier
 * run is picked up; {@code multi.readers}, default 2000. Logs of both instances: {@code target/two-instances/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    static final Path OUT = Path.of("target", "two-instances");
    static final int READERS = Integer.getInteger("multi.readers", 2000);
    /** Inbound messages per webhook: Meta batches messages of several users into one delivery. */
    static final int MESSAGES_PER_WEBHOOK = 50;
    static final String LIST = "morgen";
    static final String KEYWORD = "MORGEN";
    static final String CONSENT_TEXT_START = "Ja, ich möchte das Morgenbriefing";

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Instant began;
    String failedStep;

    OidcWiremockTestResource oidc;
    /** Meta's Graph API. */
    WireMockServer meta;
    ApplicationProcess.Builder deployment;
    String dbUrl;
    List<ApplicationProcess> instances = List.of();

    // Meta's ids of the workspace's number, the workspace, its list and its readers.
    final String phoneNumberId = String.valueOf(System.currentTimeMillis());
    final String wabaId = "1" + phoneNumberId;
    /** The publisher, whose bearer token is signed afresh for every call (tokens live five minutes). */
    final Api publisher = Api.newUser("publisher");
    String slug;
    String listId;
    /** The readers' numbers as WhatsApp writes them (international digits without +). */
    final List<String> readers = IntStream.range(0, READERS).mapToObj(i -> String.valueOf(4915120000000L + i))
            .toList();

    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failedStep = context.getDisplayName();
        }
    };

    @BeforeAll
    void startEverything() {
        began = Instant.now();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything));
        try {
            dbUrl = EndToEndDatabase.url("multi.db.url", "consentcast_multi");
            emptyTheDatabase(dbUrl);
            oidc = new OidcWiremockTestResource();
            String keycloakUrl = oidc.start().get("keycloak.url");
            meta = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64)
                    .asynchronousResponseEnabled(true).asynchronousResponseThreads(16));
            meta.start();
            stubMeta();
            deployment = ApplicationProcess.builder(dbUrl, keycloakUrl + "/realms/quarkus")
                    .oidcClient("quarkus-web-app", "secret")
                    .logDir(OUT)
                    .env("CONSENTCAST_DISPATCH_DEFAULT_SENDING_HOURS", "00:00-00:00")
                    // Leases of 20 s instead of 2 minutes, so that the rows of a killed instance are settled within
                    // the test's time (the lease must stay well above the few seconds a claimed row waits).
                    .env("CONSENTCAST_DISPATCH_LEASE", "PT20S")
                    .env("CONSENTCAST_DISPATCH_RECHECK", "PT5S")
                    // This fake Meta sends no status webhooks: a row on the wire at the kill waits for one (AWAITING)
                    // for 20 s instead of 15 minutes, then ends FAILED outcome-unknown.
                    .env("CONSENTCAST_DISPATCH_OUTCOME_WINDOW", "PT20S")
                    // Fewer workers than database connections: with the default 320 workers on a 32-connection pool,
                    // a starved machine (CI's two cores are shared) lets workers wait for a connection longer than
                    // the pool's acquisition timeout, and a delivery whose accepted send could then not be written
                    // ends FAILED outcome-unknown: safe by the exactly-once rule, but not what this test is about.
                    .env("CONSENTCAST_DISPATCH_WORKERS", "16")
                    .env("CONSENTCAST_DB_POOL_SIZE", "24");
            instances = deployment.startAll("instance", List.of(instanceEnv("instance-1"), instanceEnv("instance-2")));
        } catch (RuntimeException | Error e) {
            stopEverything();
            throw e;
        }
        System.out.printf("[two-instances] %s and %s ready after %d s (logs in %s)%n", a().url(), b().url(),
                Duration.between(began, Instant.now()).toSeconds(), OUT.toAbsolutePath());
    }

    private Map<String, String> instanceEnv(String name) {
        return Map.of("CONSENTCAST_DISPATCH_INSTANCE_ID", name,
                "CONSENTCAST_WHATSAPP_GRAPH_URL", meta.baseUrl() + "/" + name);
    }

    /** The test's own database, emptied with Flyway as its owner: the instances migrate it again at start. */
    private static void emptyTheDatabase(String dbUrl) {
        try {
            Flyway.configure().dataSource(dbUrl, "consentcast_owner", "consentcast_owner").cleanDisabled(false).load()
                    .clean();
        } catch (FlywayException e) {
            throw new IllegalStateException("Cannot empty " + dbUrl + " (create it with bash .ci/db-setup.sh "
                    + dbUrl.substring(dbUrl.lastIndexOf('/') + 1) + ")", e);
        }
    }

    @AfterAll
    synchronized void stopEverything() {
        instances.forEach(ApplicationProcess::close);
        instances = List.of();
        if (meta != null && meta.isRunning()) {
            meta.stop();
        }
        if (oidc != null) {
            oidc.stop();
            oidc = null;
            System.out.printf("[two-instances] everything stopped after %d s%n",
                    Duration.between(began, Instant.now()).toSeconds());
        }
    }

    @BeforeEach
    void onlyAfterTheEarlierStepsPassed() {
        assumeTrue(failedStep == null, () -> "skipped: the earlier step " + failedStep + " failed");
    }

    ApplicationProcess a() {
        return instances.get(0);
    }

    ApplicationProcess b() {
        return instances.get(1);
    }

    RequestSpecification api(ApplicationProcess instance) {
        return new Api(publisher.subject(), publisher.email(), Tokens.of(publisher.subject(), publisher.email())).req()
                .baseUri(instance.url());
    }

    /**
     * Meta's Graph API for both instances' addresses: the number and the account's numbers (verified when the
     * channel is saved), the account's templates, and sending. Template messages (the issues) are answered after
     * 20-50 ms, as a real API takes its time, so that both instances send at once.
     */
    private void stubMeta() {
        String prefix = "/instance-[0-9]+/v23\\.0/";
        meta.stubFor(get(urlPathMatching(prefix + wabaId + "/message_templates")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fixture("templates.json"))));
        // Saving the channel verifies it with Meta: the token reads the number, the number is in the account.
        meta.stubFor(get(urlPathMatching(prefix + phoneNumberId)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(fixture("phone-number.json").replace("1234567890123456", phoneNumberId))));
        meta.stubFor(get(urlPathMatching(prefix + wabaId + "/phone_numbers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(fixture("phone-numbers.json").replace("1906385232743451", phoneNumberId))));
        String accepted = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"{{jsonPath request.body '$.to'}}\","
                + "\"wa_id\":\"{{jsonPath request.body '$.to'}}\"}],"
                + "\"messages\":[{\"id\":\"wamid.{{randomValue length=32 type='ALPHANUMERIC'}}\"}]}";
        meta.stubFor(post(urlPathMatching(prefix + phoneNumberId + "/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(accepted).withTransformers("response-template")));
        meta.stubFor(post(urlPathMatching(prefix + phoneNumberId + "/messages"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("template")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(accepted).withTransformers("response-template").withUniformRandomDelay(20, 50)));
    }

    private static String fixture(String name) {
        try {
            return Files.readString(Path.of("src", "test", "resources", "whatsapp", name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The workspace, set up through both instances: the Cloud API channel, its templates, a German list. */
    @Test
    @Order(10)
    void aPublisherSetsUpTheWorkspaceThroughEitherInstance() {
        slug = "multi-" + Long.toString(System.currentTimeMillis(), 36);
        api(a()).body(Map.of("slug", slug, "name", "Morgenpost", "locale", "de", "timezone", "Europe/Berlin"))
                .post("/api/tenants").then().statusCode(201);
        api(b()).body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", wabaId,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "EAAG" + ApplicationProcess.secret(24)))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
        // The access token was encrypted by instance 2; instance 1 decrypts it to fetch the templates.
        List<Map<String, Object>> templates = api(a()).post("/api/tenants/" + slug + "/templates/sync").then()
                .statusCode(200).extract().path("$");
        assertTrue(templates.stream().anyMatch(t -> "morning_briefing".equals(t.get("name"))
                && "APPROVED".equals(t.get("status"))), templates.toString());
        listId = api(b()).body(Fixtures.germanList(LIST, KEYWORD)).post("/api/tenants/" + slug + "/lists").then()
                .statusCode(201).extract().path("id");
    }

    /**
     * Every reader writes {@code START MORGEN}, gets the consent text, answers {@code JA} and gets the
     * confirmation: thousands of signed webhooks of 50 messages each, every other one to the other instance.
     */
    @Test
    @Order(20)
    void thousandsOfReadersOptInByWhatsAppThroughBothInstances() {
        Instant start = Instant.now();
        deliverToBothInstances("START " + KEYWORD);
        awaitTrue("all readers PENDING (their START handled)", () -> readersIn("PENDING") == READERS);
        deliverToBothInstances("JA");
        awaitTrue("all readers CONFIRMED", () -> readersIn("CONFIRMED") == READERS);
        assertEquals(0, readersIn("PENDING"));

        // Replies leave through the outbox after the consent fact commits: wait for them. Each reader got
        // exactly two replies: the consent text, then the confirmation.
        awaitTrue("every reader's two replies", () -> sent("text").size() >= 2 * READERS);
        Map<String, List<JsonNode>> replies = sent("text").stream()
                .collect(Collectors.groupingBy(s -> s.to, Collectors.mapping(s -> s.body, Collectors.toList())));
        assertEquals(Set.copyOf(readers), replies.keySet());
        List<String> wrong = readers.stream().filter(r -> replies.get(r).size() != 2
                || !replies.get(r).get(0).path("text").path("body").asText().contains(CONSENT_TEXT_START))
                .toList();
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " readers did not get exactly the consent text and one"
                + " confirmation, e.g. " + wrong.get(0) + ": " + replies.get(wrong.get(0)));
        System.out.printf("[two-instances] %d readers confirmed by WhatsApp in %d s%n", READERS,
                Duration.between(start, Instant.now()).toSeconds());
    }

    /** The scheduled issue is sent by both instances together, and every reader gets it exactly once. */
    @Test
    @Order(30)
    void bothInstancesSendTheIssueAndEveryReaderGetsItExactlyOnce() {
        String headline = "Ausgabe 1: Wahlen, Wetter und ein Rezept";
        Instant start = Instant.now();
        String issue = schedule("Morgenbriefing Nr. 1", headline);
        JsonNode done = awaitDone(issue);
        System.out.printf("[two-instances] issue 1 sent to %d readers in %d s (scheduled 3 s ahead)%n", READERS,
                Duration.between(start, Instant.now()).toSeconds());

        JsonNode counts = done.path("counts");
        assertEquals(READERS, counts.path("total").asLong(), done.toString());
        assertEquals(READERS, counts.path("sent").asLong(), done.toString());
        assertEquals(0, counts.path("excluded").asLong(), done.toString());
        assertEquals(0, counts.path("failed").asLong(), done.toString());
        assertEquals(0, counts.path("pending").asLong(), done.toString());

        List<Sent> sends = issueSends(headline);
        Map<String, Long> perReader = sends.stream().collect(Collectors.groupingBy(s -> s.to, Collectors.counting()));
        assertEquals(Set.copyOf(readers), perReader.keySet(), "every reader got the issue");
        List<String> twice = perReader.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .toList();
        assertTrue(twice.isEmpty(), () -> twice.size() + " readers got the issue more than once: " + twice);
        assertEquals(READERS, sends.size());

        Map<String, Long> perInstance = split(sends);
        System.out.println("[two-instances] issue 1 sent per instance: " + perInstance + ", " + windows(sends));
        assertTrue(perInstance.getOrDefault("instance-1", 0L) > 0, "instance 1 sent a share: " + perInstance);
        assertTrue(perInstance.getOrDefault("instance-2", 0L) > 0, "instance 2 sent a share: " + perInstance);

        // The issue's deliveries record exactly the messages Meta accepted: one wamid per reader, each Meta's own.
        List<JsonNode> deliveries = deliveries(issue);
        assertEquals(READERS, deliveries.size());
        assertTrue(deliveries.stream().allMatch(d -> "SENT".equals(d.path("state").asText())), "all SENT");
        assertEquals(sends.stream().map(s -> s.wamid).collect(Collectors.toSet()),
                deliveries.stream().map(d -> d.path("providerMessageId").asText()).collect(Collectors.toSet()));
    }

    /**
     * A second issue; while both send it, instance 2 is killed (SIGKILL). Instance 1 finishes the issue: the rows
     * instance 2 had claimed go to instance 1 once their lease expires, and a row that was on the wire at the crash
     * waits for Meta's status webhook (none comes from this fake), then ends FAILED {@code outcome-unknown}, and is
     * never sent again. Nobody gets two copies; everybody else gets one.
     */
    @Test
    @Order(40)
    void killingAnInstanceMidIssueSendsNothingTwiceAndSkipsOnlyOutcomeUnknown() {
        String headline = "Ausgabe 2: Sport und Kultur";
        Instant start = Instant.now();
        String issue = schedule("Morgenbriefing Nr. 2", headline);
        int killAfter = READERS / 6;
        awaitTrue("instance 2 sending issue 2", () -> meta.countRequestsMatching(postRequestedFor(
                urlPathMatching("/instance-2/.*/messages")).withRequestBody(containing(headline)).build())
                .getCount() >= killAfter);
        b().kill();
        Map<String, Long> atKill = split(issueSends(headline));
        System.out.printf("[two-instances] instance 2 killed after %d s; sent per instance then: %s%n",
                Duration.between(start, Instant.now()).toSeconds(), atKill);

        JsonNode done = awaitDone(issue);
        System.out.printf("[two-instances] issue 2 done %d s after it was scheduled: %s%n",
                Duration.between(start, Instant.now()).toSeconds(), done.path("counts"));
        JsonNode counts = done.path("counts");
        assertEquals(READERS, counts.path("total").asLong(), done.toString());
        assertEquals(0, counts.path("excluded").asLong(), done.toString());
        assertEquals(0, counts.path("pending").asLong(), done.toString());
        assertEquals(READERS, counts.path("sent").asLong() + counts.path("failed").asLong(), done.toString());
        done.path("failedByReason").fieldNames().forEachRemaining(reason -> assertEquals("outcome-unknown", reason,
                done.toString()));

        List<Sent> sends = issueSends(headline);
        Map<String, List<Sent>> perReader = sends.stream().collect(Collectors.groupingBy(s -> s.to));
        List<String> twice = perReader.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey).toList();
        assertTrue(twice.isEmpty(), () -> twice.size() + " readers got issue 2 more than once: " + twice);

        // Every SENT delivery is one message Meta accepted, to a reader of its own: those readers got it exactly once.
        Map<String, Sent> byWamid = sends.stream().collect(Collectors.toMap(s -> s.wamid, s -> s));
        List<JsonNode> deliveries = deliveries(issue);
        assertEquals(READERS, deliveries.size());
        Set<String> reached = new HashSet<>();
        long unknown = 0;
        for (JsonNode d : deliveries) {
            if ("SENT".equals(d.path("state").asText())) {
                Sent s = byWamid.get(d.path("providerMessageId").asText());
                assertTrue(s != null, "a SENT delivery with a wamid Meta never returned: " + d);
                assertTrue(reached.add(s.to), "two SENT deliveries for one reader: " + s.to);
            } else {
                assertEquals("FAILED", d.path("state").asText(), d.toString());
                assertEquals("outcome-unknown", d.path("reason").asText(), d.toString());
                unknown++;
            }
        }
        assertEquals(counts.path("sent").asLong(), reached.size());
        // Readers whose message left instance 2 but whose answer died with it: at most the outcome-unknown rows.
        long sentUnrecorded = perReader.keySet().stream().filter(r -> !reached.contains(r)).count();
        assertTrue(sentUnrecorded <= unknown, sentUnrecorded + " unrecorded sends, " + unknown + " outcome-unknown");
        assertTrue(split(sends).getOrDefault("instance-1", 0L) > atKill.getOrDefault("instance-1", 0L),
                "instance 1 went on sending after the kill");
        System.out.printf("[two-instances] issue 2: %d readers reached, %d outcome-unknown (%d of them reached), "
                + "sent per instance %s, %s%n", perReader.size(), unknown, sentUnrecorded, split(sends),
                windows(sends));
    }

    // ---------------------------------------------------------------- helpers

    /** Posts one signed webhook per {@value #MESSAGES_PER_WEBHOOK} readers, each writing {@code text}. */
    private void deliverToBothInstances(String text) {
        for (int from = 0, n = 0; from < READERS; from += MESSAGES_PER_WEBHOOK, n++) {
            List<String> batch = readers.subList(from, Math.min(READERS, from + MESSAGES_PER_WEBHOOK));
            deliver(instances.get(n % 2), batch, text);
        }
    }

    /** Meta's "messages" webhook with one text message per sender, signed with the app secret. */
    private void deliver(ApplicationProcess to, List<String> senders, String text) {
        long now = Instant.now().getEpochSecond();
        String contacts = senders.stream().map(s -> "{\"profile\":{\"name\":\"Leser " + s.substring(9) + "\"},"
                + "\"wa_id\":\"" + s + "\"}").collect(Collectors.joining(","));
        String messages = senders.stream().map(s -> "{\"from\":\"" + s + "\",\"id\":\"wamid."
                + UUID.randomUUID().toString().replace("-", "") + "\",\"timestamp\":\"" + now
                + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}").collect(Collectors.joining(","));
        String payload = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId + "\",\"changes\":"
                + "[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
                + "{\"display_phone_number\":\"49301234567\",\"phone_number_id\":\"" + phoneNumberId + "\"},"
                + "\"contacts\":[" + contacts + "],\"messages\":[" + messages + "]}}]}]}";
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(deployment.whatsappAppSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(to.url() + "/webhooks/whatsapp"))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(raw)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many of the list's readers are in {@code state}, from the subscriber directory. */
    private long readersIn(String state) {
        return ((Number) api(a()).queryParam("list", listId).queryParam("state", state)
                .get("/api/tenants/" + slug + "/subscribers").then().statusCode(200).extract().path("total"))
                .longValue();
    }

    /** Schedules an issue of {@code morning_briefing} for three seconds from now; returns its id. */
    private String schedule(String title, String headline) {
        String at = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3).toString();
        Map<String, Object> body = Map.of("list", LIST, "title", title, "scheduledAt", at, "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of(headline)));
        JsonNode created = readJson(api(b()).body(body).post("/api/tenants/" + slug + "/issues").then().statusCode(201)
                .extract().asString());
        assertEquals("SCHEDULED", created.path("status").asText(), created.toString());
        return created.path("id").asText();
    }

    /** Polls the issue (through instance 1, which lives throughout) until it is DONE; fails on BLOCKED or PAUSED. */
    private JsonNode awaitDone(String issue) {
        JsonNode[] last = new JsonNode[1];
        awaitTrue("issue " + issue + " DONE", () -> {
            last[0] = readJson(api(a()).get("/api/tenants/" + slug + "/issues/" + issue).then().statusCode(200)
                    .extract().asString());
            String status = last[0].path("status").asText();
            assertTrue(!status.equals("BLOCKED") && !status.equals("PAUSED") && !status.equals("CANCELLED"),
                    last[0].toString());
            return status.equals("DONE");
        });
        return last[0];
    }

    /** All delivery rows of an issue, page by page (50 a page). */
    private List<JsonNode> deliveries(String issue) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1;; page++) {
            JsonNode p = readJson(api(a()).queryParam("page", page)
                    .get("/api/tenants/" + slug + "/issues/" + issue + "/deliveries").then().statusCode(200).extract()
                    .asString());
            p.path("items").forEach(all::add);
            if (p.path("items").isEmpty() || all.size() >= p.path("total").asLong()) {
                return all;
            }
        }
    }

    /** One message as Meta's fake received it: which instance sent it (its Graph address), to whom, Meta's answer. */
    record Sent(String instance, String to, JsonNode body, String wamid, Instant at) {
    }

    /** Messages of {@code type} that Meta accepted, in the order they arrived. */
    private List<Sent> sent(String type) {
        return sent(b -> type.equals(b.path("type").asText()));
    }

    /** The accepted template messages of the issue whose headline is {@code headline}. */
    private List<Sent> issueSends(String headline) {
        return sent(b -> "template".equals(b.path("type").asText()) && b.path("template").toString().contains(headline));
    }

    private List<Sent> sent(Predicate<JsonNode> which) {
        List<Sent> out = new ArrayList<>();
        for (ServeEvent e : meta.getAllServeEvents()) {
            String path = e.getRequest().getUrl();
            if (!RequestMethod.POST.equals(e.getRequest().getMethod()) || !path.endsWith("/" + phoneNumberId + "/messages")
                    || e.getResponse().getStatus() != 200) {
                continue;
            }
            JsonNode body = readJson(e.getRequest().getBodyAsString());
            if (which.test(body)) {
                String wamid = readJson(e.getResponse().getBodyAsString()).path("messages").path(0).path("id").asText();
                out.add(new Sent(path.substring(1, path.indexOf('/', 1)), body.path("to").asText()
                        .replaceAll("[^0-9]", ""), body, wamid, e.getRequest().getLoggedDate().toInstant()));
            }
        }
        out.sort((x, y) -> x.at.compareTo(y.at));
        return out;
    }

    private static Map<String, Long> split(List<Sent> sends) {
        return sends.stream().collect(Collectors.groupingBy(Sent::instance, TreeMap::new, Collectors.counting()));
    }

    /** When each instance sent its first and last message, relative to the first message of all. */
    private static String windows(List<Sent> sends) {
        if (sends.isEmpty()) {
            return "nothing sent";
        }
        Instant first = sends.get(0).at;
        Map<String, String> out = new TreeMap<>();
        Map<String, List<Sent>> by = sends.stream().collect(Collectors.groupingBy(Sent::instance, HashMap::new,
                Collectors.toList()));
        by.forEach((instance, list) -> out.put(instance, String.format(Locale.ROOT, "%.1f-%.1f s",
                Duration.between(first, list.get(0).at).toMillis() / 1000.0,
                Duration.between(first, list.get(list.size() - 1).at).toMillis() / 1000.0)));
        return "sending windows " + out;
    }

    private JsonNode readJson(String s) {
        try {
            return json.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(s, e);
        }
    }

    /** Waits for {@code done}, generously: the machine may be shared (a bound, not an expectation). */
    private static void awaitTrue(String what, BooleanSupplier done) {
        Duration limit = Duration.ofMinutes(8);
        Instant deadline = Instant.now().plus(limit);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Waited " + limit.toMinutes() + " minutes for " + what);
            }
            Processes.sleep(250);
        }
    }
}
