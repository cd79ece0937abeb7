package io.consentcast.whatsapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.testsupport.Forms;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SandboxPhoneTest {

    @Inject
    ChannelService channel;

    @Inject
    TemplateService templates;

    @Inject
    WebhookInbox inbox;

    @Inject
    RecordedEvents events;

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    /** A page session with a bearer token: the CSRF cookie and the form's hidden token from a GET. */
    record Page(String cookie, String token, String html) {
    }

    private static Page open(Api user, String path) {
        Response r = given().auth().oauth2(user.token()).accept("text/html").get(path);
        r.then().statusCode(200);
        String html = r.asString();
        String m = Forms.csrfToken(html);
        return new Page(r.getCookie("csrf-token"), m, html);
    }

    private static Response submit(Api user, Page page, String path, Object... fields) {
        var req = given().auth().oauth2(user.token()).redirects().follow(false).cookie("csrf-token", page.cookie())
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", page.token());
        for (int i = 0; i < fields.length; i += 2) {
            req = req.formParam((String) fields[i], fields[i + 1]);
        }
        return req.post(path);
    }

    @Test
    void aSubscriberConversationRunsThroughTheSandboxPhone() {
        Api owner = Api.newUser("sb");
        String slug = owner.createWorkspace("sb");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;

        // The subscriber writes START from the sandbox phone page.
        Page page = open(owner, "/t/" + slug + "/sandbox");
        submit(owner, page, "/t/" + slug + "/sandbox/messages", "number", "+49 151 2345 6789", "text", "START Grüße")
                .then().statusCode(303);
        InboundMessage in = events.inbound(tenantId).get(0);
        assertEquals("4915123456789", in.from());
        assertEquals("START Grüße", in.text());
        assertEquals("text", in.type());
        assertEquals(Origin.SANDBOX, in.origin(), "what the sandbox phone writes is never Meta's");
        // Written as on the landing page, without the country code (read in the workspace's country, Germany).
        submit(owner, page, "/t/" + slug + "/sandbox/messages", "number", "0151 23456780", "text", "Hallo")
                .then().statusCode(303);
        assertEquals("4915123456780", events.inbound(tenantId).get(1).from());
        assertTrue(submit(owner, page, "/t/" + slug + "/sandbox/messages", "number", "0151", "text", "Hallo")
                .then().statusCode(400).extract().asString().contains("0151 23456789"));

        // Without the CSRF token the form is refused.
        given().auth().oauth2(owner.token()).contentType("application/x-www-form-urlencoded")
                .formParam("number", "4915123456789").formParam("text", "forged").post("/t/" + slug + "/sandbox/messages")
                .then().statusCode(403);

        // The newsletter goes out through the sandbox channel: the workspace never saved any settings.
        SendResult sent = tenantScope.call(tenantId, () -> channel.send(new OutgoingMessage.Template("4915123456789",
                "newsletter_issue", "en", List.of("Monday briefing"), List.of())));
        String wamid = assertInstanceOf(SendResult.Accepted.class, sent).messageId();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(List.of("sent", "delivered", "read"), events.statuses(tenantId).stream()
                    .filter(s -> s.providerMessageId().equals(wamid)).map(MessageStatusUpdate::status).toList());
        });

        // The phone shows both sides, the template filled in, its quick reply and the read status.
        page = open(owner, "/t/" + slug + "/sandbox");
        assertTrue(page.html().contains("START Grüße"));
        assertTrue(page.html().contains("New issue: Monday briefing"));
        assertTrue(page.html().contains("Stop promotions"));
        assertTrue(page.html().contains(">read<"));

        // Tapping "Stop promotions" answers our message and stops marketing, as WhatsApp would report it.
        submit(owner, page, "/t/" + slug + "/sandbox/tap", "number", "4915123456789", "messageId", wamid, "index", "0")
                .then().statusCode(303);
        InboundMessage tap = events.inbound(tenantId).stream().filter(e -> "button".equals(e.type())).findFirst()
                .orElseThrow();
        assertEquals("Stop promotions", tap.buttonPayload());
        assertEquals(wamid, tap.contextMessageId());
        assertEquals(List.of(MarketingPreferenceChanged.Preference.STOP), events.preferences(tenantId).stream()
                .map(MarketingPreferenceChanged::preference).toList());

        // Free text inside the 24-hour window works; a template with the wrong parameters fails like Meta.
        assertTrue(tenantScope.call(tenantId, () -> channel.send(new OutgoingMessage.Text("4915123456789",
                "You are unsubscribed from promotions."))).accepted());
        SendResult.Failed wrong = (SendResult.Failed) tenantScope.call(tenantId, () -> channel.send(
                new OutgoingMessage.Template("4915123456789", "newsletter_issue", "en", List.of(), List.of())));
        assertEquals(132000, wrong.code());
        assertEquals(ErrorClass.PERMANENT_ISSUE, wrong.errorClass());
        SendResult.Failed outside = (SendResult.Failed) tenantScope.call(tenantId, () -> channel.send(
                new OutgoingMessage.Text("4915199999999", "Hello stranger")));
        assertEquals(131047, outside.code());
        assertTrue(open(owner, "/t/" + slug + "/sandbox").html().contains("You are unsubscribed from promotions."));
    }

    @Inject
    SandboxChannel sandbox;

    @Inject
    jakarta.persistence.EntityManager em;

    @Test
    void theSandboxPhoneDoesNotExistInAWorkspaceOnTheCloudApi() {
        Api owner = Api.newUser("live");
        String slug = owner.createWorkspace("live");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        Api editor = Api.newUser("editor");
        owner.addMember(slug, editor, "EDITOR");
        // While the workspace is on the sandbox, the phone and its link are there.
        given().auth().oauth2(editor.token()).accept("text/html").get("/t/" + slug).then().statusCode(200)
                .body(containsString("/t/" + slug + "/sandbox\""));
        WaTestSupport.cloudApi(owner, slug, WaTestSupport.graphId(), WaTestSupport.graphId(), "live-token");

        // A CSRF session from a page every editor has.
        Response lists = given().auth().oauth2(editor.token()).accept("text/html").get("/t/" + slug + "/issues/new");
        lists.then().statusCode(200);
        Page page = new Page(lists.getCookie("csrf-token"), Forms.csrfToken(lists.asString()), lists.asString());
        assertTrue(!page.html().contains("/t/" + slug + "/sandbox\""), "no link to the sandbox phone");
        given().auth().oauth2(editor.token()).accept("text/html").get("/t/" + slug + "/sandbox").then().statusCode(404);
        submit(editor, page, "/t/" + slug + "/sandbox/messages", "number", "+49 151 5550 1234", "text", "START MORGEN")
                .then().statusCode(404);
        submit(editor, page, "/t/" + slug + "/sandbox/messages", "number", "+49 151 5550 1234", "text", "JA")
                .then().statusCode(404);
        submit(editor, page, "/t/" + slug + "/sandbox/tap", "number", "4915155501234", "messageId", "wamid.x",
                "index", "0").then().statusCode(404);
        // The owner posts with a token of their own page (a form's token belongs to the user it was shown to).
        Response ownerLists = given().auth().oauth2(owner.token()).accept("text/html").get("/t/" + slug + "/issues/new");
        Page ownerPage = new Page(ownerLists.getCookie("csrf-token"), Forms.csrfToken(ownerLists.asString()), ownerLists.asString());
        submit(owner, ownerPage, "/t/" + slug + "/sandbox/send", "number", "4915155501234", "template",
                "newsletter_issue|en", "variables", "x").then().statusCode(404);
        // Sample data (made on the sandbox phone) is refused too.
        submit(owner, ownerPage, "/t/" + slug + "/sample-data").then().statusCode(409);
        // There is no API route to the sandbox phone either.
        editor.req().body(java.util.Map.of("number", "4915155501234", "text", "JA"))
                .post("/api/tenants/" + slug + "/sandbox/messages").then().statusCode(404);

        // A sandbox payload addressed to the workspace anyway is not processed there.
        String payload = tenantScope.call(tenantId, () -> sandbox.inbound(tenantId, "4915155501234", "Sandbox 1234",
                "wamid.SANDBOXIN.forged", "JA", null, null, java.time.Instant.now()));
        java.util.UUID id = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> inbox.store(InboxEntry.SOURCE_SANDBOX, payload, false));
        inbox.process(id);

        // Nothing was stored: no inbox row from the phone, no inbound message, no ledger event.
        assertTrue(events.inbound(tenantId).isEmpty());
        assertEquals(1L, (long) tenantScope.platform(() -> em.createQuery(
                "select count(e) from InboxEntry e where e.payload like :p", Long.class)
                .setParameter("p", "%sandbox-" + tenantId + "%").getSingleResult()), "only the payload stored above");
        assertEquals(0L, ((Number) tenantScope.call(tenantId, () -> em.createNativeQuery(
                "select count(*) from consent_events").getSingleResult())).longValue());
        assertEquals(0L, ((Number) tenantScope.call(tenantId, () -> em.createNativeQuery(
                "select count(*) from whatsapp_inbound_messages").getSingleResult())).longValue());
    }

    @Test
    void anAdminCanSendASampleTemplateToTheSandboxPhone() {
        Api owner = Api.newUser("sb");
        String slug = owner.createWorkspace("sb");
        Page page = open(owner, "/t/" + slug + "/sandbox");
        submit(owner, page, "/t/" + slug + "/sandbox/send", "number", "+4915100001111", "template",
                "optin_confirmation|de", "variables", "Morgenpost").then().statusCode(303);
        assertTrue(open(owner, "/t/" + slug + "/sandbox").html()
                .contains("Sie haben Morgenpost abonniert. Antworten Sie jederzeit mit STOP"));
        submit(owner, page, "/t/" + slug + "/sandbox/send", "number", "+4915100001111", "template",
                "optin_confirmation|de", "variables", "").then().statusCode(400)
                .body(containsString("does not match the expected number"));
    }

    @Test
    void viewersSeeThePhoneButCannotWriteAndBadInputIsExplained() {
        Api owner = Api.newUser("sb");
        String slug = owner.createWorkspace("sb");
        Api viewer = Api.newUser("viewer");
        owner.addMember(slug, viewer, "VIEWER");
        given().auth().oauth2(viewer.token()).accept("text/html").get("/t/" + slug + "/sandbox").then()
                .statusCode(200).body(not(containsString("/sandbox/messages\"")));
        Page page = open(owner, "/t/" + slug + "/sandbox");
        submit(viewer, page, "/t/" + slug + "/sandbox/messages", "number", "4915123456789", "text", "hi")
                .then().statusCode(403);

        submit(owner, page, "/t/" + slug + "/sandbox/messages", "number", "12", "text", "hi").then().statusCode(400)
                .body(containsString("Enter a valid mobile number, e.g. 0151 23456789 or +49 151 23456789"));
        given().auth().oauth2(owner.token()).header("Accept-Language", "de").accept("text/html")
                .get("/t/" + slug + "/sandbox").then().statusCode(200).body(containsString("Sandbox-Telefon"))
                .body(not(containsString("Sandbox phone")));
    }

    @Test
    void sandboxWorkspacesComeWithApprovedSampleTemplates() {
        Api owner = Api.newUser("tpl");
        String slug = owner.createWorkspace("tpl");
        owner.req().get("/api/tenants/" + slug + "/templates").then().statusCode(200)
                .body("find { it.name == 'newsletter_issue' && it.language == 'en' }.category",
                        org.hamcrest.Matchers.equalTo("MARKETING"))
                .body("find { it.name == 'newsletter_issue' && it.language == 'en' }.parameterCount",
                        org.hamcrest.Matchers.equalTo(1))
                .body("find { it.name == 'newsletter_issue' && it.language == 'en' }.quickReplies",
                        org.hamcrest.Matchers.hasItem("Stop promotions"))
                .body("find { it.name == 'optin_confirmation' && it.language == 'de' }.bodyText",
                        containsString("STOP"))
                .body("usable", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo(true)));
        given().auth().oauth2(owner.token()).accept("text/html").get("/t/" + slug + "/templates").then()
                .statusCode(200).body(containsString("newsletter_issue"));
    }
}
