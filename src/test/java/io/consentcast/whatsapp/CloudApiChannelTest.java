package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CloudApiChannelTest {

    @Inject
    ChannelService channel;

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    record Workspace(Api owner, String slug, String tenantId, String phoneNumberId, String wabaId) {
    }

    private Workspace cloudWorkspace(String token) {
        Api owner = Api.newUser("wa");
        String slug = owner.createWorkspace("wa");
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        WaTestSupport.cloudApi(owner, slug, phone, waba, token);
        return new Workspace(owner, slug, tenancy.findBySlug(slug).orElseThrow().id, phone, waba);
    }

    static String fixture(String name) {
        try (InputStream in = CloudApiChannelTest.class.getResourceAsStream("/whatsapp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The production path (like the dispatcher): the sender is read in the workspace, the send runs with no transaction. */
    private SendResult send(Workspace w, OutgoingMessage m) {
        ChannelService.Sender sender = tenantScope.call(w.tenantId(), channel::sender);
        return tenantScope.call(w.tenantId(), () -> QuarkusTransaction.suspendingExisting().call(() -> sender.send(m)));
    }

    @Test
    void aGraphCallInsideADatabaseTransactionIsRefusedBeforeAnythingIsSent() {
        Workspace w = cloudWorkspace("EAAG-secret-token-tx");
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture("send-ok.json"))));

        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> tenantScope.call(w.tenantId(), () -> channel.send(template())));

        assertTrue(refused.getMessage().contains("inside a database transaction"), refused.getMessage());
        GraphMock.server().verify(0, postRequestedFor(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages")));
        assertTrue(send(w, template()).accepted(), "the same send with no transaction open goes through");
    }

    private static OutgoingMessage template() {
        return new OutgoingMessage.Template("4915112345678", "morning_briefing", "de", List.of("Montag"),
                List.of("STOP"));
    }

    @Test
    void aTemplateIsSentWithTheWorkspaceTokenAndReturnsMetasMessageId() {
        Workspace w = cloudWorkspace("EAAG-secret-token-1");
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture("send-ok.json"))));

        SendResult result = send(w, template());

        assertEquals(new SendResult.Accepted("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA"), result);
        GraphMock.server().verify(postRequestedFor(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .withHeader("Authorization", equalTo("Bearer EAAG-secret-token-1"))
                .withRequestBody(equalToJson("""
                        {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915112345678",
                         "type":"template","template":{"name":"morning_briefing","language":{"code":"de"},
                         "components":[{"type":"body","parameters":[{"type":"text","text":"Montag"}]},
                          {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"STOP"}]}]}}
                        """)));
    }

    static Stream<Arguments> metaErrors() {
        return Stream.of(
                Arguments.of(400, 130429, ErrorClass.RETRY_LATER),
                Arguments.of(429, 4, ErrorClass.RETRY_LATER),
                Arguments.of(400, 80007, ErrorClass.RETRY_LATER),
                Arguments.of(500, 1, ErrorClass.RETRY_LATER),
                Arguments.of(400, 131056, ErrorClass.DELAY_RECIPIENT),
                Arguments.of(400, 131026, ErrorClass.PERMANENT_RECIPIENT),
                Arguments.of(400, 131050, ErrorClass.PERMANENT_RECIPIENT),
                Arguments.of(400, 131049, ErrorClass.PERMANENT_RECIPIENT),
                Arguments.of(400, 132000, ErrorClass.PERMANENT_ISSUE),
                Arguments.of(404, 132001, ErrorClass.PERMANENT_ISSUE),
                Arguments.of(400, 131047, ErrorClass.PERMANENT_ISSUE),
                Arguments.of(401, 190, ErrorClass.STOP_CHANNEL),
                Arguments.of(403, 368, ErrorClass.STOP_CHANNEL),
                Arguments.of(400, 131048, ErrorClass.STOP_CHANNEL));
    }

    @ParameterizedTest
    @MethodSource("metaErrors")
    void metaErrorsAreClassifiedByTheirCode(int httpStatus, int code, ErrorClass expected) {
        Workspace w = cloudWorkspace("token-" + code);
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .willReturn(aResponse().withStatus(httpStatus).withHeader("Content-Type", "application/json")
                        .withBody(fixture("error-" + code + ".json"))));

        SendResult result = send(w, code == 131047 ? new OutgoingMessage.Text("4915112345678", "Hallo") : template());

        SendResult.Failed failed = assertInstanceOf(SendResult.Failed.class, result);
        assertEquals(expected, failed.errorClass());
        assertEquals(code, failed.code());
        assertEquals(code == 131050, failed.suppressRecipient(), "only 131050 suppresses the recipient");
        if (code == 131049) {
            assertEquals(Duration.ofHours(24), failed.retryNotBefore());
        }
        boolean stopped = expected == ErrorClass.STOP_CHANNEL;
        w.owner().req().get("/api/tenants/" + w.slug() + "/channel").then().statusCode(200)
                .body("stopped", org.hamcrest.Matchers.equalTo(stopped));
    }

    @Test
    void anAnswerLostAfterTheRequestWasWrittenLeavesTheOutcomeUnknownInsteadOfRetrying() {
        Workspace w = cloudWorkspace("token-unknown");
        String messages = "/v23.0/" + w.phoneNumberId() + "/messages";
        // A gateway's 5xx without Meta's error object: the request may have reached Meta.
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(503)));
        assertEquals(ErrorClass.OUTCOME_UNKNOWN, ((SendResult.Failed) send(w, template())).errorClass());
        // Meta accepted, but its answer comes after the read timeout (2 s in tests).
        GraphMock.server().stubFor(post(urlEqualTo(messages))
                .willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody(fixture("send-ok.json"))));
        SendResult.Failed timeout = (SendResult.Failed) send(w, template());
        assertEquals(ErrorClass.OUTCOME_UNKNOWN, timeout.errorClass());
        assertEquals(null, timeout.code());
        // The connection is reset after the request was written.
        GraphMock.server().stubFor(post(urlEqualTo(messages))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        assertEquals(ErrorClass.OUTCOME_UNKNOWN, ((SendResult.Failed) send(w, template())).errorClass());
        // A 200 without a message id.
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"messaging_product\":\"whatsapp\"}")));
        assertEquals(ErrorClass.OUTCOME_UNKNOWN, ((SendResult.Failed) send(w, template())).errorClass());
        // Meta's own 5xx with its error object is a refusal: retried later.
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(fixture("error-1.json"))));
        assertEquals(ErrorClass.RETRY_LATER, ((SendResult.Failed) send(w, template())).errorClass());
    }

    @Test
    void aRefusedConnectionSendsNothingAndIsRetriedLater() {
        Workspace w = cloudWorkspace("token-refused");
        GraphMock.server().stop();
        SendResult result;
        try {
            result = send(w, template());
        } finally {
            GraphMock.server().start();
        }
        SendResult.Failed failed = assertInstanceOf(SendResult.Failed.class, result);
        assertEquals(ErrorClass.RETRY_LATER, failed.errorClass(), failed.message());
    }

    @Test
    void theCallbackDataTravelsWithTheMessage() {
        Workspace w = cloudWorkspace("token-callback");
        String messages = "/v23.0/" + w.phoneNumberId() + "/messages";
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("send-ok.json"))));
        send(w, new OutgoingMessage.Template("4915112345678", "morning_briefing", "de", List.of("Montag"), List.of(),
                "consentcast:delivery:42"));
        GraphMock.server().verify(postRequestedFor(urlEqualTo(messages))
                .withRequestBody(matchingJsonPath("$.biz_opaque_callback_data", equalTo("consentcast:delivery:42"))));
    }

    @Test
    void anInvalidTokenStopsTheChannelVisiblyUntilNewSettingsAreSaved() {
        Workspace w = cloudWorkspace("expired-token");
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(fixture("error-190.json"))));

        assertEquals(ErrorClass.STOP_CHANNEL, ((SendResult.Failed) send(w, template())).errorClass());
        w.owner().req().get("/api/tenants/" + w.slug() + "/channel").then().statusCode(200)
                .body("stopped", org.hamcrest.Matchers.equalTo(true))
                .body("stoppedReason", containsString("access token is invalid"));

        // While stopped, nothing reaches Meta.
        SendResult.Failed again = (SendResult.Failed) send(w, template());
        assertEquals(ErrorClass.STOP_CHANNEL, again.errorClass());
        GraphMock.server().verify(1, postRequestedFor(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages")));

        // The channel page shows the reason to the admins.
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(containsString("access token is invalid"));

        // A new token resumes sending.
        WaTestSupport.cloudApi(w.owner(), w.slug(), w.phoneNumberId(), w.wabaId(), "fresh-token");
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + w.phoneNumberId() + "/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture("send-ok.json"))));
        assertTrue(send(w, template()).accepted());
    }

    @Test
    void testConnectionReadsThePhoneNumberFromTheGraphApi() {
        Workspace w = cloudWorkspace("token-test");
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + w.phoneNumberId()))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(fixture("phone-number.json"))));

        w.owner().req().post("/api/tenants/" + w.slug() + "/channel/test").then().statusCode(200)
                .body("ok", org.hamcrest.Matchers.equalTo(true))
                .body("displayPhoneNumber", org.hamcrest.Matchers.equalTo("+1 631-555-5555"))
                .body("qualityRating", org.hamcrest.Matchers.equalTo("GREEN"))
                .body("throughputLevel", org.hamcrest.Matchers.equalTo("STANDARD"))
                .body("messagingLimit", org.hamcrest.Matchers.equalTo("TIER_2K")); // not the deprecated messaging_limit_tier
        GraphMock.server().verify(getRequestedFor(urlPathEqualTo("/v23.0/" + w.phoneNumberId()))
                .withHeader("Authorization", equalTo("Bearer token-test")));

        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + w.phoneNumberId()))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(fixture("error-190.json"))));
        w.owner().req().post("/api/tenants/" + w.slug() + "/channel/test").then().statusCode(200)
                .body("ok", org.hamcrest.Matchers.equalTo(false))
                .body("errorClass", org.hamcrest.Matchers.equalTo("STOP_CHANNEL"))
                .body("errorCode", org.hamcrest.Matchers.equalTo(190));
    }

    @Test
    void settingsNeverRevealTheTokenAndNeedAnAdmin() {
        Workspace w = cloudWorkspace("very-secret-token-value");
        w.owner().req().get("/api/tenants/" + w.slug() + "/channel").then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("cloud-api"))
                .body("phoneNumberId", org.hamcrest.Matchers.equalTo(w.phoneNumberId()))
                .body("accessTokenSet", org.hamcrest.Matchers.equalTo(true))
                .body(not(containsString("very-secret-token-value")));
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/channel").then().statusCode(200)
                .body(not(containsString("very-secret-token-value")));

        Api editor = Api.newUser("editor");
        w.owner().addMember(w.slug(), editor, "EDITOR");
        editor.req().get("/api/tenants/" + w.slug() + "/channel").then().statusCode(403);
        editor.req().body(java.util.Map.of("type", "sandbox")).put("/api/tenants/" + w.slug() + "/channel")
                .then().statusCode(403);

        // Another workspace cannot take the same number.
        Api other = Api.newUser("other");
        String otherSlug = other.createWorkspace("wa");
        other.req().body(java.util.Map.of("type", "cloud-api", "phoneNumberId", w.phoneNumberId(),
                "businessAccountId", w.wabaId(), "accessToken", "x")).put("/api/tenants/" + otherSlug + "/channel")
                .then().statusCode(409);

        // Back to the sandbox: the token is gone.
        w.owner().req().body(java.util.Map.of("type", "sandbox")).put("/api/tenants/" + w.slug() + "/channel")
                .then().statusCode(200).body("type", org.hamcrest.Matchers.equalTo("sandbox"))
                .body("accessTokenSet", org.hamcrest.Matchers.equalTo(false));
        w.owner().req().body(java.util.Map.of("type", "cloud-api", "phoneNumberId", "abc"))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(400)
                .body("errors.phoneNumberId", containsString("phone number ID"))
                .body("errors.accessToken", org.hamcrest.Matchers.notNullValue());
        assertFalse(channel == null);
    }

    @Test
    void aNewWorkspaceUsesTheSandbox() {
        Api owner = Api.newUser("fresh");
        String slug = owner.createWorkspace("wa");
        owner.req().get("/api/tenants/" + slug + "/channel").then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("sandbox"))
                .body("stopped", org.hamcrest.Matchers.equalTo(false));
    }
}
