package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.whatsapp.GraphMock;
import io.restassured.path.json.JsonPath;

/**
 * Cloud API workspaces against the Graph WireMock, the fake's own journal of what it received, Meta's status
 * webhooks (signed, through the real endpoint) and the assertion every exactly-once test ends with.
 */
@ApplicationScoped
public class CloudFixture {

    private static final String APP_SECRET = "test-app-secret";

    @Inject
    DispatchFixture fx;

    private final ObjectMapper json = new ObjectMapper();

    public record Cloud(Workspace w, String phoneNumberId) {
        String messages() {
            return "/v23.0/" + phoneNumberId + "/messages";
        }
    }

    /** One request the fake received: recipient, callback data, and whether Meta may have accepted it. */
    public record Call(String to, String callbackData, boolean maybeAccepted, String wamid) {
    }

    public Cloud cloud(String prefix) {
        Workspace w = fx.workspace(prefix);
        String phone = DispatchEngineTest.graphId();
        String waba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-" + prefix);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "tok-" + prefix))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(DispatchEngineTest.fixture("templates.json"))));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        return new Cloud(w, phone);
    }

    /** Confirmed readers; returns their WhatsApp ids (digits without "+"). */
    public List<String> readers(Cloud c, int n) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String phone = DispatchFixture.number();
            fx.confirmed(c.w(), phone);
            phones.add(phone.substring(1));
        }
        return phones;
    }

    /** An issue with the MARKETING template, sent now; returns its id. */
    public String sendIssue(Cloud c, String title) {
        String id = c.w().owner().req().body(Map.of("list", "morgen", "title", title, "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of(title))))
                .post(c.w().issues()).then().statusCode(201).extract().path("id");
        c.w().owner().req().post(c.w().issues() + "/" + id + "/send").then().statusCode(200);
        return id;
    }

    public JsonPath issue(Cloud c, String id) {
        return c.w().owner().req().get(c.w().issues() + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Every delivery of the issue (all pages): id, state, reason, providerMessageId, providerStatus. */
    public List<Map<String, Object>> deliveries(Cloud c, String id) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int page = 1;; page++) {
            JsonPath p = c.w().owner().req().get(c.w().issues() + "/" + id + "/deliveries?page=" + page).then()
                    .statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = p.getList("items");
            all.addAll(items);
            if (items.isEmpty() || all.size() >= p.getLong("total")) {
                return all;
            }
        }
    }

    /** Runs the engine until no row of the issue is waiting to be sent or on the wire (AWAITING rows may remain). */
    public JsonPath settle(Dispatcher d, Cloud c, String id) {
        for (int i = 0; i < 400; i++) {
            d.runOnce();
            JsonPath v = issue(c, id);
            String status = v.getString("status");
            if (!"PREPARING".equals(status) && (v.getLong("counts.pending") == 0 || !"SENDING".equals(status))) {
                return v;
            }
            DispatchFixture.sleep(25);
        }
        throw new AssertionError("issue " + id + " did not settle: " + issue(c, id).prettify());
    }

    /** What the fake received for this workspace's number, from its own journal, in order. */
    public List<Call> calls(Cloud c) {
        Map<String, ServeEvent> byId = new HashMap<>();
        for (ServeEvent e : GraphMock.server().getAllServeEvents()) {
            byId.put(e.getRequest().getId() == null ? "" : e.getRequest().getId().toString(), e);
        }
        List<Call> out = new ArrayList<>();
        for (LoggedRequest r : GraphMock.server().findAll(postRequestedFor(urlEqualTo(c.messages())))) {
            JsonNode body = read(r.getBodyAsString());
            ServeEvent e = byId.get(r.getId() == null ? "" : r.getId().toString());
            int status = e == null || e.getResponse() == null ? 0 : e.getResponse().getStatus();
            boolean fault = e != null && e.getResponseDefinition() != null && e.getResponseDefinition().getFault() != null;
            String answer = e == null || e.getResponse() == null ? "" : e.getResponse().getBodyAsString();
            // Meta refused it for sure only when it answered with an error: 4xx, or a 5xx with its error object.
            boolean refused = !fault && (status >= 400 && status < 500
                    || status >= 500 && answer != null && answer.contains("\"error\""));
            String wamid = status == 200 && answer != null && !answer.isBlank()
                    ? read(answer).path("messages").path(0).path("id").asText(null) : null;
            out.add(new Call(body.path("to").asText(), body.path("biz_opaque_callback_data").asText(null), !refused,
                    wamid));
        }
        return out;
    }

    /**
     * The exactly-once rule, from the fake's journal: no reader got two messages (at most one request Meta may
     * have accepted), and every reader is accounted for on the issue: one whose delivery is SENT got exactly
     * that message (its wamid); one who got nothing is FAILED with a reason or AWAITING, never SENT.
     */
    public void assertExactlyOnce(Cloud c, String issueId, List<String> readers) {
        List<Call> calls = calls(c);
        Map<String, List<Call>> byReader = new HashMap<>();
        Map<String, String> readerOfDelivery = new HashMap<>();
        for (Call call : calls) {
            byReader.computeIfAbsent(call.to(), k -> new ArrayList<>()).add(call);
            assertTrue(call.callbackData() != null && call.callbackData().startsWith("consentcast:delivery:"),
                    "every issue message names its delivery: " + call);
            readerOfDelivery.put(call.callbackData().substring("consentcast:delivery:".length()), call.to());
        }
        for (String reader : readers) {
            long got = byReader.getOrDefault(reader, List.of()).stream().filter(Call::maybeAccepted).count();
            assertTrue(got <= 1, "reader " + reader + " got " + got + " messages");
        }
        List<Map<String, Object>> deliveries = deliveries(c, issueId);
        assertEquals(readers.size(), deliveries.size(), "one delivery per reader");
        for (Map<String, Object> d : deliveries) {
            String reader = readerOfDelivery.get(String.valueOf(d.get("id")));
            List<Call> got = reader == null ? List.of()
                    : byReader.get(reader).stream().filter(Call::maybeAccepted).toList();
            String state = (String) d.get("state");
            if (got.isEmpty()) {
                assertNotEquals("SENT", state, "a reader who got nothing is not counted as sent: " + d);
                assertTrue("AWAITING".equals(state) || "FAILED".equals(state) && d.get("reason") != null,
                        "a reader who got nothing is visible as failed (with a reason) or awaiting: " + d);
            } else if ("SENT".equals(state) && got.get(0).wamid() != null) {
                assertEquals(got.get(0).wamid(), d.get("providerMessageId"), "the delivery names the message: " + d);
            }
        }
    }

    /** Meta's status webhook for one message (signed, posted to the real endpoint). */
    public void statusWebhook(Cloud c, String wamid, String status, String recipient, String callbackData) {
        statusWebhook(c, wamid, status, recipient, callbackData, null);
    }

    /** The same with Meta's {@code pricing} object (JSON), as statuses carry it under per-message pricing. */
    public void statusWebhook(Cloud c, String wamid, String status, String recipient, String callbackData,
            String pricing) {
        ObjectNode root = json.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode value = root.putArray("entry").addObject().put("id", "waba").putArray("changes").addObject()
                .put("field", "messages").putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "49301234567").put("phone_number_id",
                c.phoneNumberId());
        ObjectNode s = value.putArray("statuses").addObject().put("id", wamid).put("status", status)
                .put("timestamp", String.valueOf(Instant.now().getEpochSecond())).put("recipient_id", recipient);
        if (callbackData != null) {
            s.put("biz_opaque_callback_data", callbackData);
        }
        if (pricing != null) {
            s.set("pricing", read(pricing));
        }
        byte[] body = root.toString().getBytes(StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", sign(body)).contentType("application/json").body(body)
                .post("/webhooks/whatsapp").then().statusCode(200);
    }

    /** Waits until a delivery of the issue satisfies {@code check} (webhooks are processed after they are stored). */
    public void awaitDelivery(Cloud c, String issueId, java.util.function.Predicate<List<Map<String, Object>>> check) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> check.test(deliveries(c, issueId)));
    }

    /** Posts a payload to the real webhook endpoint, signed with the app secret as Meta signs it. */
    public void signedWebhook(String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", sign(body)).contentType("application/json").body(body)
                .post("/webhooks/whatsapp").then().statusCode(200);
    }

    static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
