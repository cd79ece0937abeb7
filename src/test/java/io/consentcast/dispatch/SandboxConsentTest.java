package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.LedgerHash;
import io.consentcast.consent.NewEvent;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.consentcast.whatsapp.GraphMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * What a team member writes on the sandbox phone is a test, not proof: it is recorded with the ledger source
 * SANDBOX (export, receipt and hash), and once the workspace sends through the Cloud API such readers are excluded
 * ("sandbox-only-consent") until they confirm on WhatsApp, which the channel and issue pages say beforehand.
 */
@QuarkusTest
class SandboxConsentTest {

    @Inject
    DispatchFixture fx;

    @Inject
    TenantScope scope;

    @Inject
    ConsentService consent;

    private final ObjectMapper json = new ObjectMapper();

    /** Writes {@code text} from {@code number} on the sandbox phone page, as a team member does. */
    private static void writeOnSandboxPhone(Api user, String slug, String number, String text) {
        Response page = given().auth().oauth2(user.token()).accept("text/html").get("/t/" + slug + "/sandbox");
        page.then().statusCode(200);
        given().auth().oauth2(user.token()).redirects().follow(false)
                .cookie("csrf-token", page.getCookie("csrf-token")).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(page.asString())).formParam("number", number)
                .formParam("text", text).post("/t/" + slug + "/sandbox/messages").then()
                .statusCode(303);
    }

    private List<JsonNode> ledger(Workspace w) throws Exception {
        String ndjson = w.owner().req().queryParam("format", "ndjson")
                .get("/api/tenants/" + w.slug() + "/consent-events/export").then().statusCode(200).extract().asString();
        List<JsonNode> rows = new java.util.ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        return rows;
    }

    private static String text(JsonNode row, String field) {
        return row.path(field).isNull() ? null : row.path(field).asText();
    }

    private static UUID uuid(JsonNode row, String field) {
        return row.path(field).isNull() ? null : UUID.fromString(row.path(field).asText());
    }

    private static Instant time(JsonNode row, String field) {
        return row.path(field).isNull() ? null : Instant.parse(row.path(field).asText());
    }

    /** The documented event hash (docs/LEDGER.md) of an exported row, with {@code source} in place of its own. */
    private static String hashWithSource(JsonNode r, String source) {
        return LedgerHash.hash(new LedgerHash.Content(uuid(r, "id"), text(r, "tenant_id"), uuid(r, "subscriber_id"),
                r.path("seq").asLong(), uuid(r, "list_id"), text(r, "type"), time(r, "occurred_at"), source,
                text(r, "source_detail"), uuid(r, "consent_text_id"), text(r, "consent_text_sha256"),
                text(r, "evidence_digest"), text(r, "wa_message_id"), time(r, "wa_timestamp"), uuid(r, "actor_user_id"),
                text(r, "reason"), text(r, "prev_hash")));
    }

    @Test
    void sandboxConsentIsLabelledAsSuchAndDoesNotCountOnTheCloudApi() throws Exception {
        Workspace w = fx.workspace("sbxconsent");
        String tester = DispatchFixture.number();
        writeOnSandboxPhone(w.owner(), w.slug(), tester, "START MORGEN");
        writeOnSandboxPhone(w.owner(), w.slug(), tester, "JA");
        String real = DispatchFixture.number();
        fx.confirmed(w, real);
        // Written on the sandbox phone before the source SANDBOX existed: recorded as WHATSAPP with a sandbox id.
        String legacy = DispatchFixture.number();
        scope.run(w.tenantId(), () -> consent.append(NewEvent.of(consent.subscriberFor(legacy).id(),
                ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(w.listId()).withConsentText(w.consentTextId())
                .withWhatsApp("wamid.SANDBOXIN." + UUID.randomUUID().toString().replace("-", ""), Instant.now())));

        // Ledger and export: the sandbox's events carry the source SANDBOX, never WHATSAPP.
        List<JsonNode> rows = ledger(w);
        List<JsonNode> sandbox = rows.stream().filter(r -> tester.equals(text(r, "subscriber_phone"))).toList();
        assertEquals(List.of("REQUESTED", "CONFIRMED"), sandbox.stream().map(r -> text(r, "type")).toList());
        assertTrue(sandbox.stream().allMatch(r -> "SANDBOX".equals(text(r, "source"))), sandbox.toString());
        assertTrue(sandbox.stream().allMatch(r -> text(r, "wa_message_id").startsWith("wamid.SANDBOXIN.")));
        String csv = w.owner().req().queryParam("format", "csv").get("/api/tenants/" + w.slug()
                + "/consent-events/export").then().statusCode(200).extract().asString();
        assertEquals(2, csv.lines().filter(l -> l.contains(tester) && l.contains(",SANDBOX,")).count(), csv);

        // The hash covers the source: relabelling the sandbox confirmation as WHATSAPP breaks it.
        JsonNode confirmed = sandbox.get(1);
        assertEquals(text(confirmed, "hash"), hashWithSource(confirmed, "SANDBOX"));
        assertNotEquals(text(confirmed, "hash"), hashWithSource(confirmed, "WHATSAPP"));

        // The consent record labels the sandbox message as a test, not as a WhatsApp message.
        String receipt = w.owner().req().accept("text/html").get("/t/" + w.slug() + "/subscribers/"
                + text(confirmed, "subscriber_public_id")).then().statusCode(200).extract().asString();
        assertTrue(receipt.contains("data-evidence=\"sandbox\"") && !receipt.contains("data-evidence=\"whatsapp\""));
        assertTrue(receipt.contains("Sandbox message (a test written in Consentcast, not a message received from"
                + " WhatsApp)"), receipt);
        JsonNode legacyConfirmed = rows.stream().filter(r -> legacy.equals(text(r, "subscriber_phone"))).findFirst()
                .orElseThrow();
        assertTrue(w.owner().req().accept("text/html").get("/t/" + w.slug() + "/subscribers/"
                + text(legacyConfirmed, "subscriber_public_id")).then().statusCode(200).extract().asString()
                .contains("data-evidence=\"sandbox\""), "a sandbox message id is never shown as WhatsApp proof");

        // The channel page warns before the switch; after it, the channel and issue pages say how many and why.
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(containsString("Readers who confirmed only on the sandbox phone: 2. If you switch to the"
                        + " Cloud API, they receive nothing until they confirm on WhatsApp"));
        String phone = DispatchEngineTest.graphId();
        String waba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-sbx");
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "accessToken", "tok-sbx")).put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(DispatchEngineTest.fixture("templates.json"))));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + phone + "/messages")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
        given().auth().oauth2(w.owner().token()).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(containsString("Leser, die nur auf dem Sandbox-Telefon bestätigt haben: 2. Der Workspace"
                        + " sendet jetzt über die Cloud API"))
                .body(not(containsString("/sandbox\"")));

        String id = w.owner().req().body(Map.of("list", "morgen", "title", "Montag", "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of("Montag"))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("Readers of this list who confirmed only on the sandbox phone: 2."));
        given().auth().oauth2(w.owner().token()).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("Leser dieser Liste, die nur auf dem Sandbox-Telefon bestätigt haben: 2."));

        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        fx.prepare(w, id); // the engine decides the audience (in chunks) before anything is sent
        JsonPath started = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(Map.of("sandbox-only-consent", 2), started.getMap("excludedByReason"));
        try (Dispatcher d = fx.dispatcher("sbxconsent", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("counts.sent", org.hamcrest.Matchers.equalTo(1));
        assertEquals(0, GraphMock.server().findAll(postRequestedFor(urlEqualTo("/v23.0/" + phone + "/messages"))
                .withRequestBody(matchingJsonPath("$.to", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        tester.substring(1))))).size(), "the sandbox-only reader got nothing from Meta");
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString("Confirmed only in the sandbox (not on WhatsApp)"));
    }
}
