package io.consentcast.optin;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentService;
import io.consentcast.testsupport.Forms;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.SubscriberService;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.web.QrCodes;
import io.consentcast.whatsapp.SandboxPhone;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A workspace's own stop words, and its accent colour and logo on the public pages. */
@QuarkusTest
class OptInSettingsTest {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    SandboxPhone phone;

    @Test
    void theWorkspacesOwnStopWordsWithdraw() {
        Api owner = Api.newUser("stopwords");
        String slug = owner.createWorkspace("stopwords");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        owner.req().get("/api/tenants/" + slug + "/optin-settings").then().statusCode(200)
                .body("stopWords", equalTo(List.of("STOP", "ABMELDEN", "UNSUBSCRIBE", "ABBESTELLEN")));
        owner.req().body(Map.of("stopWords", List.of("halt", "Ende"), "accentColor", "#AA3300"))
                .put("/api/tenants/" + slug + "/optin-settings").then().statusCode(200)
                .body("stopWords", equalTo(List.of("HALT", "ENDE"))).body("accentColor", equalTo("#aa3300"));
        owner.req().body(Map.of("stopWords", List.of("START", "two words"), "accentColor", "red"))
                .put("/api/tenants/" + slug + "/optin-settings").then().statusCode(400)
                .body("errors", hasKey("stopWords")).body("errors", hasKey("accentColor"));

        UUID listId = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        scope.run(tenantId, () -> phone.write("+4915100002001", "START MORGEN"));
        scope.run(tenantId, () -> phone.write("+4915100002001", "ja"));
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, listId));
        scope.run(tenantId, () -> phone.write("+4915100002001", "Stop"));
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, listId), "STOP is not a stop word here");
        scope.run(tenantId, () -> phone.write("+4915100002001", "ende"));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state(tenantId, listId));
    }

    /**
     * What inbound messages look up is kept in memory per workspace (InboundLookups); a change of the stop words or of
     * a list answers the next message at once.
     */
    @Test
    void inboundMessagesFollowAChangeAtOnce() {
        Api owner = Api.newUser("lookups");
        String slug = owner.createWorkspace("lookups");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        Map<String, Object> list = new java.util.HashMap<>(Fixtures.germanList("morgen", "MORGEN"));
        UUID listId = UUID.fromString(owner.req().body(list).post("/api/tenants/" + slug + "/lists").then()
                .statusCode(201).extract().path("id"));
        scope.run(tenantId, () -> phone.write("+4915100002001", "START MORGEN"));
        scope.run(tenantId, () -> phone.write("+4915100002001", "ja"));
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, listId));
        // The workspace, its stop words and the list are now cached; the stop words change.
        owner.req().body(Map.of("stopWords", List.of("ende"), "accentColor", "#AA3300"))
                .put("/api/tenants/" + slug + "/optin-settings").then().statusCode(200);
        scope.run(tenantId, () -> phone.write("+4915100002001", "Stop"));
        assertEquals(Optional.of(ConsentStatus.CONFIRMED), state(tenantId, listId), "STOP is no stop word any more");
        scope.run(tenantId, () -> phone.write("+4915100002001", "ende"));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state(tenantId, listId));
        // The list closes: a START for it records nothing.
        list.put("status", "CLOSED");
        owner.req().body(list).put("/api/tenants/" + slug + "/lists/morgen").then().statusCode(200);
        scope.run(tenantId, () -> phone.write("+4915100002001", "START MORGEN"));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), state(tenantId, listId), "a closed list takes no START");
    }

    @Test
    void theLogoAndAccentColourAppearOnThePublicPages() {
        Api owner = Api.newUser("brand");
        String slug = owner.createWorkspace("brand");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        owner.req().body(Map.of("accentColor", "#123456")).put("/api/tenants/" + slug + "/optin-settings")
                .then().statusCode(200);
        Response settingsPage = owner.req().accept("text/html").get("/t/" + slug + "/settings");
        String token = Forms.csrfToken(settingsPage.asString());

        byte[] png = QrCodes.png("https://example.org", 2);
        owner.req().accept("text/html").redirects().follow(false).cookies(settingsPage.getCookies())
                .contentType("multipart/form-data").multiPart("csrf-token", token)
                .multiPart("logo", "logo.png", png, "image/png")
                .post("/t/" + slug + "/settings/logo").then().statusCode(303);
        // An SVG (it could carry script) named .png is refused.
        owner.req().accept("text/html").cookies(settingsPage.getCookies())
                .contentType("multipart/form-data").multiPart("csrf-token", token)
                .multiPart("logo", "logo.png", "<svg onload=alert(1)></svg>".getBytes(), "image/png")
                .post("/t/" + slug + "/settings/logo").then().statusCode(400);

        byte[] served = io.restassured.RestAssured.given().get("/brand/" + slug + "/logo").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertArrayEquals(png, served);
        io.restassured.RestAssured.given().get("/p/" + slug + "/morgen").then().statusCode(200)
                .body(containsString("/theme/accent-123456.css"))
                .body(containsString("src=\"/brand/" + slug + "/logo\""));
    }

    /** The public page's data is cached; a change on this instance shows on the next request all the same. */
    @Test
    void aChangeShowsOnThePublicPageAtOnce() {
        Api owner = Api.newUser("fresh");
        String slug = owner.createWorkspace("fresh");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        io.restassured.RestAssured.given().get("/p/" + slug + "/morgen").then().statusCode(200)
                .body(not(containsString("/theme/accent-654321.css"))).body(not(containsString("Neue Fassung")));

        owner.req().body(Map.of("accentColor", "#654321")).put("/api/tenants/" + slug + "/optin-settings")
                .then().statusCode(200);
        owner.req().body(Map.of("consentText", "Neue Fassung: Ja, ich möchte das Morgenbriefing erhalten."))
                .put("/api/tenants/" + slug + "/lists/morgen").then().statusCode(200);
        io.restassured.RestAssured.given().get("/p/" + slug + "/morgen").then().statusCode(200)
                .body(containsString("/theme/accent-654321.css"))
                .body(containsString("Neue Fassung: Ja, ich möchte das Morgenbriefing erhalten."));

        owner.req().body(Map.of("status", "CLOSED")).put("/api/tenants/" + slug + "/lists/morgen")
                .then().statusCode(200);
        io.restassured.RestAssured.given().get("/p/" + slug + "/morgen").then().statusCode(200)
                .body(containsString("Diese Liste nimmt derzeit keine neuen Abonnenten auf."));
    }

    /** The form preselects the workspace's country: Germany for a German workspace, else the United Kingdom. */
    @Test
    void theFormPreselectsTheWorkspacesCountry() {
        Api owner = Api.newUser("region");
        String german = owner.createWorkspace("region-de");
        String english = "region-en-" + UUID.randomUUID().toString().substring(0, 8);
        owner.req().body(Map.of("slug", english, "name", "Morning Post", "locale", "en", "timezone", "Europe/London"))
                .post("/api/tenants").then().statusCode(201);
        for (String slug : List.of(german, english)) {
            owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                    .then().statusCode(201);
        }
        io.restassured.RestAssured.given().get("/p/" + german + "/morgen").then().statusCode(200)
                .body(containsString("<option value=\"DE\" selected>"))
                .body(not(containsString("<option value=\"GB\" selected>")));
        io.restassured.RestAssured.given().get("/p/" + english + "/morgen").then().statusCode(200)
                .body(containsString("<option value=\"GB\" selected>"))
                .body(not(containsString("<option value=\"DE\" selected>")));
    }

    private Optional<ConsentStatus> state(String tenantId, UUID listId) {
        return scope.call(tenantId, () -> subscribers.findByPhone("+4915100002001")
                .flatMap(s -> consent.stateOf(s.id(), listId)));
    }
}
