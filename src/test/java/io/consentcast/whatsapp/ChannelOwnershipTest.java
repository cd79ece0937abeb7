package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A Cloud API channel is saved only when Meta confirms that the token reads the phone number and that the number
 * belongs to the given business account; otherwise a workspace could claim another business's number and receive
 * its readers' messages. Failures name the field (API) or explain it on the form (page), and store nothing.
 */
@QuarkusTest
class ChannelOwnershipTest {

    /** Meta's answer when a token may not read an object (or it does not exist). */
    private static final String UNSUPPORTED_GET = "{\"error\":{\"message\":\"Unsupported get request. Object with ID"
            + " '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
            + "\",\"type\":\"GraphMethodException\",\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"AbCdEf\"}}";

    private static ResponseDefinitionBuilder answer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static Map<String, Object> channel(String phone, String waba, String token) {
        return Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba, "displayPhoneNumber",
                "+44 20 7946 0000", "accessToken", token);
    }

    private static void stillTheSandbox(Api owner, String slug) {
        owner.req().get("/api/tenants/" + slug + "/channel").then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("sandbox"))
                .body("accessTokenSet", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void aNumberIsSavedOnlyWhenMetaConfirmsTheTokenReadsItAndTheAccountHasIt() {
        Api owner = Api.newUser("own");
        String slug = owner.createWorkspace("own");
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        String put = "/api/tenants/" + slug + "/channel";

        // Someone else's phone number id: Meta does not let this token read it.
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer stolen-id-token"))
                .willReturn(answer(400, UNSUPPORTED_GET.formatted(phone))));
        owner.req().body(channel(phone, waba, "stolen-id-token")).put(put).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.phoneNumberId", containsString("does not let this access token read this phone number"));
        stillTheSandbox(owner, slug);

        // The token reads the number, but the given business account does not have it.
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer other-account-token"))
                .willReturn(answer(200, GraphMock.phoneNumber(phone))));
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/phone_numbers"))
                .withHeader("Authorization", equalTo("Bearer other-account-token"))
                .willReturn(answer(200, GraphMock.accountNumbers(WaTestSupport.graphId()))));
        owner.req().body(channel(phone, waba, "other-account-token")).put(put).then().statusCode(400)
                .body("errors.businessAccountId", containsString("does not belong to this WhatsApp Business Account"));
        stillTheSandbox(owner, slug);

        // A token Meta rejects.
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer expired-token"))
                .willReturn(answer(401, CloudApiChannelTest.fixture("error-190.json"))));
        owner.req().body(channel(phone, waba, "expired-token")).put(put).then().statusCode(400)
                .body("errors.accessToken", containsString("Meta rejected this access token"));
        stillTheSandbox(owner, slug);

        // Meta cannot be asked (its 5xx, a dropped connection): a clear 503, nothing stored, never a 500.
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer meta-down-token"))
                .willReturn(answer(500, "{\"error\":{\"message\":\"An unknown error occurred\",\"type\":"
                        + "\"OAuthException\",\"code\":1,\"fbtrace_id\":\"AbCd\"}}")));
        owner.req().body(channel(phone, waba, "meta-down-token")).put(put).then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("Could not verify the number with Meta"));
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer reset-token"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        owner.req().body(channel(phone, waba, "reset-token")).put(put).then().statusCode(503);
        stillTheSandbox(owner, slug);

        // Proven: saved, with the display number as Meta reports it, and routed to this workspace.
        GraphMock.ownedNumber(phone, waba, "owner-token");
        owner.req().body(channel(phone, waba, "owner-token")).put(put).then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("cloud-api"))
                .body("displayPhoneNumber", org.hamcrest.Matchers.equalTo(GraphMock.DISPLAY_NUMBER));
        GraphMock.server().verify(getRequestedFor(urlPathEqualTo("/v23.0/" + waba + "/phone_numbers"))
                .withHeader("Authorization", equalTo("Bearer owner-token")));

        // Another workspace with a token that reads the number too: 409, before Meta is asked.
        Api other = Api.newUser("own");
        String otherSlug = other.createWorkspace("own");
        GraphMock.ownedNumber(phone, waba, "other-valid-token");
        other.req().body(channel(phone, waba, "other-valid-token")).put("/api/tenants/" + otherSlug + "/channel")
                .then().statusCode(409).body("errors.phoneNumberId", containsString("already connected"));
        assertEquals(0, GraphMock.server().findAll(getRequestedFor(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer other-valid-token"))).size());
        stillTheSandbox(other, otherSlug);

        // Saving again without a new token verifies the stored one again.
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba)).put(put)
                .then().statusCode(200);
        assertEquals(2, GraphMock.server().findAll(getRequestedFor(urlPathEqualTo("/v23.0/" + waba + "/phone_numbers"))
                .withHeader("Authorization", equalTo("Bearer owner-token"))).size());
    }

    /**
     * Two workspaces that both hold a token Meta accepts for one number save at the same moment: one gets it,
     * the other 409, however the two saves interleave (the route's primary key decides when both passed the
     * check); never a 500.
     */
    @Test
    void twoWorkspacesClaimingOneNumberAtOnceGetItOnceAndA409() throws Exception {
        for (int round = 0; round < 5; round++) {
            String phone = WaTestSupport.graphId();
            String waba = WaTestSupport.graphId();
            Api a = Api.newUser("race-a");
            String slugA = a.createWorkspace("race-a");
            Api b = Api.newUser("race-b");
            String slugB = b.createWorkspace("race-b");
            GraphMock.ownedNumber(phone, waba, "token-a");
            GraphMock.ownedNumber(phone, waba, "token-b");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<Integer> first = pool.submit(() -> a.req()
                        .body(channel(phone, waba, "token-a")).put("/api/tenants/" + slugA + "/channel").statusCode());
                java.util.concurrent.Future<Integer> second = pool.submit(() -> b.req()
                        .body(channel(phone, waba, "token-b")).put("/api/tenants/" + slugB + "/channel").statusCode());
                java.util.List<Integer> statuses = new java.util.ArrayList<>(java.util.List.of(first.get(), second.get()));
                java.util.Collections.sort(statuses);
                assertEquals(java.util.List.of(200, 409), statuses, "round " + round);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theChannelPageExplainsARefusalInTheUsersLanguageAndKeepsTheInput() {
        Api owner = Api.newUser("ownpage");
        String slug = owner.createWorkspace("ownpage");
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer page-stolen-token"))
                .willReturn(answer(400, UNSUPPORTED_GET.formatted(phone))));
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + phone))
                .withHeader("Authorization", equalTo("Bearer page-down-token"))
                .willReturn(aResponse().withStatus(503)));

        Response page = given().auth().oauth2(owner.token()).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + slug + "/channel");
        String token = Forms.csrfToken(page.asString());
        String cookie = page.getCookie("csrf-token");
        given().auth().oauth2(owner.token()).header("Accept-Language", "de").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("type", "cloud-api").formParam("phoneNumberId", phone).formParam("businessAccountId", waba)
                .formParam("accessToken", "page-stolen-token").post("/t/" + slug + "/channel").then().statusCode(400)
                .body(containsString("Meta erlaubt diesem Zugriffstoken nicht, diese Telefonnummer-ID zu lesen"))
                .body(containsString("value=\"" + phone + "\"")).body(containsString("value=\"" + waba + "\""))
                .body(not(containsString("page-stolen-token")));
        given().auth().oauth2(owner.token()).header("Accept-Language", "en").cookie("csrf-token", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token)
                .formParam("type", "cloud-api").formParam("phoneNumberId", phone).formParam("businessAccountId", waba)
                .formParam("accessToken", "page-down-token").post("/t/" + slug + "/channel").then().statusCode(503)
                .body(containsString("Could not verify the number with Meta")).body(containsString("try again"))
                .body(containsString("value=\"" + phone + "\""));
        stillTheSandbox(owner, slug);
    }
}
