package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Forms;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.WebhookInbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Rich templates end to end (issue 17): a template synced with its header, named body placeholders, footer, URL
 * and quick-reply buttons; an issue that fills them is sent in the shape Meta documents; its link button counts
 * clicks through {@code /r/{token}}; its "Unsubscribe" quick reply withdraws like STOP; the issue page and the
 * sandbox phone show the message as WhatsApp would.
 */
@QuarkusTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RichTemplatesTest {

    private static final String ARTICLE = "https://news.example/stadtrat?from=whatsapp";
    private static final String IMAGE = "https://cdn.news.example/stadtrat.jpg";

    @Inject
    CloudFixture cf;

    @Inject
    DispatchFixture fx;

    @Inject
    ConsentcastConfig config;

    @Inject
    WebhookInbox inbox;

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    @Inject
    io.consentcast.testsupport.TestClock clock;

    private final ObjectMapper json = new ObjectMapper();

    /** Meta's GET /{waba}/message_templates answer for an approved rich template (components as documented). */
    private String richTemplates() {
        String base = config.baseUrl().replaceAll("/+$", "");
        return """
                {"data":[{"name":"stadtrat_update","parameter_format":"NAMED","components":[
                  {"type":"HEADER","format":"IMAGE","example":{"header_handle":["https://scontent.whatsapp.net/v/t61.29466-34/sample.jpg"]}},
                  {"type":"BODY","text":"{{headline}}: {{teaser}}",
                   "example":{"body_text_named_params":[{"param_name":"headline","example":"Stadtrat"},{"param_name":"teaser","example":"Der Haushalt steht"}]}},
                  {"type":"FOOTER","text":"Abbestellen jederzeit mit einem Tipp"},
                  {"type":"BUTTONS","buttons":[{"type":"URL","text":"Zum Artikel","url":"%s/r/{{1}}","example":["%s/r/abc"]},
                   {"type":"QUICK_REPLY","text":"Abbestellen"}]}],
                 "language":"de","status":"APPROVED","category":"MARKETING","id":"1234567890123456"}],
                 "paging":{"cursors":{"before":"MAZDZD","after":"MjQZD"}}}
                """.formatted(base, base);
    }

    private Cloud cloud(String prefix) {
        Workspace w = fx.workspace(prefix);
        String phone = DispatchEngineTest.graphId();
        String waba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-" + prefix);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "tok-" + prefix))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(richTemplates())));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        Cloud c = new Cloud(w, phone);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
        return c;
    }

    private static Map<String, Object> rich(String name, String language, String header, List<String> buttons) {
        return Map.of("name", name, "language", language, "parameters", List.of("Stadtrat", "Der Haushalt steht"),
                "header", header, "buttons", buttons);
    }

    @Test
    void syncKeepsTheComponentsAndAnIssueIsSentInMetasShapeWithItsClicksCounted() throws Exception {
        Cloud c = cloud("rtc");
        Workspace w = c.w();
        String reader = cf.readers(c, 1).get(0);

        // The synced template keeps its components (the API shows them).
        w.owner().req().get("/api/tenants/" + w.slug() + "/templates").then().statusCode(200)
                .body("find { it.name == 'stadtrat_update' }.placeholders", equalTo(List.of("headline", "teaser")))
                .body("find { it.name == 'stadtrat_update' }.layout.header.format", equalTo("IMAGE"))
                .body("find { it.name == 'stadtrat_update' }.layout.footer", equalTo("Abbestellen jederzeit mit einem Tipp"))
                .body("find { it.name == 'stadtrat_update' }.layout.buttons.type", equalTo(List.of("URL", "QUICK_REPLY")))
                .body("find { it.name == 'stadtrat_update' }.layout.buttons[0].url", containsString("/r/{{1}}"))
                .body("find { it.name == 'stadtrat_update' }.quickReplies", equalTo(List.of("Abbestellen")));

        // ... and so does the templates page, as WhatsApp would show it.
        String templatesPage = given().auth().oauth2(w.owner().token()).accept("text/html")
                .get("/t/" + w.slug() + "/templates").then().statusCode(200).extract().asString();
        assertTrue(templatesPage.contains("class=\"wa-media\" data-header=\"IMAGE\"")
                && templatesPage.contains(">Zum Artikel</a>") && templatesPage.contains(">Abbestellen</span>"),
                templatesPage);

        // Bad fills are refused with the field named, nothing stored.
        w.owner().req().body(Map.of("list", "morgen", "title", "Bad", "template",
                rich("stadtrat_update", "de", "http://cdn.news.example/x.jpg", List.of(ARTICLE))))
                .post(w.issues()).then().statusCode(400).body("errors.'template.header'", equalTo(
                        "The header must be an https link (at most 2048 characters) to the image, video or document."));
        w.owner().req().body(Map.of("list", "morgen", "title", "Bad", "template",
                rich("stadtrat_update", "de", IMAGE, List.of("javascript:alert(1)"))))
                .post(w.issues()).then().statusCode(400).body("errors.'template.buttons'", containsString("https"));
        w.owner().req().body(Map.of("list", "morgen", "title", "Bad", "template",
                rich("stadtrat_update", "de", IMAGE, List.of())))
                .post(w.issues()).then().statusCode(400).body("errors.'template.buttons'", containsString("link button"));
        assertEquals(0, w.owner().req().get(w.issues()).then().statusCode(200).extract().jsonPath().getList("$").size());

        String id = w.owner().req().body(Map.of("list", "morgen", "title", "Stadtrat", "template",
                rich("stadtrat_update", "de", IMAGE, List.of(ARTICLE)))).post(w.issues()).then().statusCode(201)
                .extract().path("id");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("rich-cloud", 2)) {
            assertEquals(1, cf.settle(d, c, id).getInt("counts.sent"));
        }

        // What Meta received: header image by link, named body parameters, the unsubscribe payload on the
        // quick reply (index 1), the redirect token as the URL button's suffix (index 0).
        List<LoggedRequest> sent = GraphMock.server().findAll(postRequestedFor(urlEqualTo(c.messages())));
        assertEquals(1, sent.size());
        JsonNode body = json.readTree(sent.get(0).getBodyAsString());
        assertEquals(reader, body.path("to").asText());
        assertEquals("template", body.path("type").asText());
        JsonNode template = body.path("template");
        assertEquals("stadtrat_update", template.path("name").asText());
        assertEquals("de", template.path("language").path("code").asText());
        JsonNode components = template.path("components");
        assertEquals(json.readTree("""
                {"type":"header","parameters":[{"type":"image","image":{"link":"%s"}}]}""".formatted(IMAGE)),
                components.get(0));
        assertEquals(json.readTree("""
                {"type":"body","parameters":[{"type":"text","parameter_name":"headline","text":"Stadtrat"},
                 {"type":"text","parameter_name":"teaser","text":"Der Haushalt steht"}]}"""), components.get(1));
        assertEquals(json.readTree("""
                {"type":"button","sub_type":"quick_reply","index":"1",
                 "parameters":[{"type":"payload","payload":"consentcast:unsubscribe:%s"}]}""".formatted(w.listId())),
                components.get(2));
        JsonNode url = components.get(3);
        assertEquals("button", url.path("type").asText());
        assertEquals("url", url.path("sub_type").asText());
        assertEquals("0", url.path("index").asText());
        assertEquals("text", url.path("parameters").path(0).path("type").asText());
        String token = url.path("parameters").path(0).path("text").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{32}"), token);
        assertEquals(4, components.size());

        // The redirect counts each click and leads to the article, never anywhere the request asks.
        for (int i = 0; i < 2; i++) {
            given().redirects().follow(false).get("/r/" + token + "?to=https://evil.example").then().statusCode(302)
                    .header("Location", ARTICLE).header("Cache-Control", "no-store");
        }
        given().redirects().follow(false).get("/r/" + "A".repeat(32)).then().statusCode(404);
        given().redirects().follow(false).get("/r/not-a-token").then().statusCode(404);
        given().redirects().follow(false).get("/r/https:%2F%2Fevil.example").then().statusCode(404);
        w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).body("clicks", equalTo(2))
                .body("template.header", equalTo(IMAGE)).body("template.buttons", equalTo(List.of(ARTICLE)))
                .body("message.headerFormat", equalTo("IMAGE"))
                .body("message.buttons.text", equalTo(List.of("Zum Artikel", "Abbestellen")));

        // The issue page shows the message as WhatsApp would, and the clicks.
        String html = given().auth().oauth2(w.owner().token()).accept("text/html")
                .get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("class=\"wa-media\" data-header=\"IMAGE\""), html);
        assertTrue(html.contains("<p class=\"wa-footer\">Abbestellen jederzeit mit einem Tipp</p>"), html);
        assertTrue(html.contains("href=\"" + ARTICLE.replace("&", "&amp;") + "\""), html);
        assertTrue(html.contains(">Zum Artikel</a>") && html.contains(">Abbestellen</span>"), html);
        assertTrue(html.contains("<dd data-count=\"clicks\">2</dd>"), html);
        assertTrue(!html.contains("style=") && !html.contains("<img"), "no inline style, no remote image");
    }

    @Test
    void theUnsubscribeQuickReplyWithdrawsTheListLikeStopOnceAndUnknownPayloadsAreIgnored() throws Exception {
        Cloud c = cloud("rtq");
        Workspace w = c.w();
        String phone = DispatchFixture.number();
        UUID subscriber = fx.confirmed(w, phone);
        String publicId = scope.call(w.tenantId(), () -> (String) em.createNativeQuery(
                "select public_id from subscribers where id = ?1").setParameter(1, subscriber).getSingleResult());
        String events = "/api/tenants/" + w.slug() + "/subscribers/" + publicId + "/events";

        // Unknown payloads of ours: nothing recorded, nothing parked.
        tap(c, phone, "wamid.unknown1", "consentcast:unsubscribe:" + UUID.randomUUID());
        tap(c, phone, "wamid.unknown2", "consentcast:something-else");
        awaitProcessed();
        w.owner().req().get(events).then().statusCode(200).body("type", equalTo(List.of("CONFIRMED")));

        // The tap, delivered twice by Meta, then tapped again: one withdrawal, recorded with its source.
        String payload = "consentcast:unsubscribe:" + w.listId();
        tap(c, phone, "wamid.tap1", payload);
        tap(c, phone, "wamid.tap1", payload);
        tap(c, phone, "wamid.tap2", payload);
        awaitProcessed();
        w.owner().req().get(events).then().statusCode(200).body("type", equalTo(List.of("CONFIRMED", "WITHDRAWN")))
                .body("[1].source", equalTo("WHATSAPP")).body("[1].listId", equalTo(w.listId().toString()))
                .body("[1].sourceDetail", equalTo("quick reply " + payload))
                .body("[1].waMessageId", equalTo("wamid.tap1"));
        w.owner().req().get("/api/tenants/" + w.slug() + "/subscribers/" + publicId).then().statusCode(200)
                .body("states.find { it.listId == '" + w.listId() + "' }.state", equalTo("WITHDRAWN"));
        w.owner().req().get("/api/tenants/" + w.slug() + "/channel/parked-webhooks").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    private static Response composeForm(Workspace w, Response form, String html, String header) {
        return given().auth().oauth2(w.owner().token()).redirects().follow(false)
                .cookie("csrf-token", form.getCookie("csrf-token")).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", Forms.csrfToken(html)).formParam("list", w.list()).formParam("title", "Rich")
                .formParam("template", "newsletter_rich|de").formParam("p1", "Stadtrat")
                .formParam("p2", "Der Haushalt steht").formParam("header", header).formParam("button1", ARTICLE)
                .formParam("action", "send").post("/t/" + w.slug() + "/issues/new");
    }

    /** Meta's webhook for a quick-reply tap: a message of type button with its payload and text. */
    private void tap(Cloud c, String phone, String wamid, String payload) {
        String from = phone.substring(1);
        cf.signedWebhook("""
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"49301234567","phone_number_id":"%s"},
                  "contacts":[{"profile":{"name":"Leser"},"wa_id":"%s"}],
                  "messages":[{"context":{"from":"49301234567","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjJCMjI1QTQ0QzYwQjY2AA=="},
                   "from":"%s","id":"%s","timestamp":"%d","type":"button",
                   "button":{"payload":"%s","text":"Abbestellen"}}]}}]}]}
                """.formatted(c.phoneNumberId(), from, from, wamid, Instant.now().getEpochSecond(), payload));
    }

    private void awaitProcessed() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(0L, (long) scope.platform(() -> em.createQuery(
                    "select count(e) from InboxEntry e where e.status not in ('DONE', 'PARKED')", Long.class)
                    .getSingleResult()));
        });
    }

    @Test
    void theSandboxPhoneShowsTheRichSampleAndPlaysItsButtons() {
        Workspace w = fx.workspace("rts");
        String phone = DispatchFixture.number();
        UUID subscriber = fx.confirmed(w, phone);
        // Composed on the page: a header that is no https link is a form error on that field, nothing stored.
        String compose = "/t/" + w.slug() + "/issues/new";
        Response form = given().auth().oauth2(w.owner().token()).accept("text/html").get(compose);
        String formHtml = form.then().statusCode(200).extract().asString();
        String refused = composeForm(w, form, formHtml, "http://cdn.news.example/x.jpg").then().extract().asString();
        assertTrue(refused.contains("id=\"header\" name=\"header\" value=\"http://cdn.news.example/x.jpg\"")
                && refused.contains("<p class=\"field-error\">"), refused);
        assertEquals(0, w.owner().req().get(w.issues()).then().extract().jsonPath().getList("$").size());
        String location = composeForm(w, form, formHtml, IMAGE).then().statusCode(303).extract().header("Location");
        Matcher issue = Pattern.compile("/issues/([0-9a-f-]{36})").matcher(location);
        assertTrue(issue.find(), location);
        String id = issue.group(1);
        w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).body("template.header", equalTo(IMAGE))
                .body("template.buttons", equalTo(List.of(ARTICLE)))
                .body("template.parameters", equalTo(List.of("Stadtrat", "Der Haushalt steht")));
        try (Dispatcher d = fx.dispatcher("rich-sandbox", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }

        Response page = given().auth().oauth2(w.owner().token()).accept("text/html").get("/t/" + w.slug() + "/sandbox");
        String html = page.then().statusCode(200).extract().asString();
        assertTrue(html.contains("class=\"wa-media\" data-header=\"IMAGE\""), html);
        assertTrue(html.contains("<p class=\"wa-text\">Stadtrat: Der Haushalt steht</p>"), html);
        assertTrue(html.contains("<p class=\"wa-footer\">Sie haben auf unserer Website abonniert</p>"), html);
        assertTrue(html.contains("<button type=\"submit\" class=\"wa-quick\">Abbestellen</button>"), html);
        Matcher link = Pattern.compile("href=\"([^\"]*/r/([A-Za-z0-9_-]{32}))\"[^>]*>Zum Artikel</a>").matcher(html);
        assertTrue(link.find(), html);
        assertTrue(link.group(1).startsWith(config.baseUrl().replaceAll("/+$", "") + "/r/"), link.group(1));

        // The reader taps "Zum Artikel": counted, on to the article.
        given().redirects().follow(false).get("/r/" + link.group(2)).then().statusCode(302).header("Location", ARTICLE);
        w.owner().req().get(w.issues() + "/" + id).then().body("clicks", equalTo(1));

        // ... and "Abbestellen": withdrawn, recorded as a sandbox message.
        Matcher message = Pattern.compile("name=\"messageId\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(message.find(), html);
        given().auth().oauth2(w.owner().token()).redirects().follow(false).cookie("csrf-token", page.getCookie("csrf-token"))
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", Forms.csrfToken(html))
                .formParam("number", phone).formParam("messageId", message.group(1)).formParam("index", "0")
                .post("/t/" + w.slug() + "/sandbox/tap").then().statusCode(303);
        String publicId = scope.call(w.tenantId(), () -> (String) em.createNativeQuery(
                "select public_id from subscribers where id = ?1").setParameter(1, subscriber).getSingleResult());
        awaitProcessed();
        w.owner().req().get("/api/tenants/" + w.slug() + "/subscribers/" + publicId + "/events").then().statusCode(200)
                .body("type", equalTo(List.of("CONFIRMED", "WITHDRAWN"))).body("[1].source", equalTo("SANDBOX"))
                .body("[1].sourceDetail", equalTo("quick reply consentcast:unsubscribe:" + w.listId()));
    }

    /** Last: its misses (at a clock 11 minutes ahead) would count against the other tests' misses. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void anAddressGuessingTokensIsSlowedDownWithoutALookup() {
        Workspace w = fx.workspace("rtl");
        fx.confirmed(w, DispatchFixture.number());
        String id = w.owner().req().body(Map.of("list", w.list(), "title", "Rich", "template",
                rich("newsletter_rich", "de", IMAGE, List.of(ARTICLE)))).post(w.issues()).then().statusCode(201)
                .extract().path("id");
        String token = scope.call(w.tenantId(), () -> (String) em.createNativeQuery(
                "select token from issue_links where issue_id = ?1").setParameter(1, UUID.fromString(id))
                .getSingleResult());
        try {
            guess(w, id, token);
        } finally {
            clock.reset();
        }
    }

    private void guess(Workspace w, String id, String token) {
        clock.advance(Duration.ofMinutes(11));
        for (int i = 0; i < 30; i++) {
            given().redirects().follow(false).get("/r/" + "G".repeat(31) + (char) ('a' + i % 26)).then().statusCode(404);
        }
        given().redirects().follow(false).get("/r/" + "H".repeat(32)).then().statusCode(429)
                .body(containsString("Too many unknown links"));
        // A guesser cannot use the limit to find out whether a token exists: known ones are refused alike.
        given().redirects().follow(false).get("/r/" + token).then().statusCode(429);
        clock.advance(Duration.ofMinutes(11));
        given().redirects().follow(false).get("/r/" + token).then().statusCode(302).header("Location", ARTICLE);
        w.owner().req().get(w.issues() + "/" + id).then().body("clicks", equalTo(1));
    }
}
