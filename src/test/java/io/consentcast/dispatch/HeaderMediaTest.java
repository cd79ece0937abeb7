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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.consentcast.dispatch.CloudFixture.Cloud;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.testsupport.Forms;
import io.consentcast.testsupport.TestClock;
import io.consentcast.whatsapp.GraphMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Header files uploaded for rich templates (issue 17): checked and stored in the workspace, uploaded to Meta's
 * {@code POST /{phone-number-id}/media} for the list's number before the issue starts (Meta's documented multipart
 * request and {@code {"id": ...}} answer), sent by media id, uploaded again when the id is too old, an upload Meta
 * refuses blocks the issue with a visible reason, other workspaces cannot read or replace the file, and the
 * sandbox phone shows the uploaded image in the bubble.
 */
@QuarkusTest
class HeaderMediaTest {

    /** The first bytes of a JPEG (JFIF) file, then filler: enough for the type check. */
    static final byte[] JPEG = jpeg(2048);

    @Inject
    CloudFixture cf;

    @Inject
    DispatchFixture fx;

    @Inject
    TestClock clock;

    @Inject
    DispatchJobs jobs;

    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static byte[] jpeg(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 0x20);
        byte[] head = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0 };
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    /** An approved template with an IMAGE header, as Meta lists it (GET /{waba}/message_templates). */
    private static final String TEMPLATES = """
            {"data":[{"name":"bild_news","parameter_format":"POSITIONAL","components":[
              {"type":"HEADER","format":"IMAGE","example":{"header_handle":["https://scontent.whatsapp.net/v/t61.29466-34/sample.jpg"]}},
              {"type":"BODY","text":"Neu: {{1}}","example":{"body_text":[["Stadtrat"]]}}],
             "language":"de","status":"APPROVED","category":"MARKETING","id":"1234567890123457"}],
             "paging":{"cursors":{"before":"MAZDZD","after":"MjQZD"}}}
            """;

    private Cloud cloud(String prefix) {
        Workspace w = fx.workspace(prefix);
        String phone = DispatchEngineTest.graphId();
        String waba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-" + prefix);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "tok-" + prefix))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(TEMPLATES)));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        Cloud c = new Cloud(w, phone);
        GraphMock.server().stubFor(post(urlEqualTo(c.messages())).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
        mediaAnswers(c, 200, "{\"id\":\"4490709327384033\"}");
        return c;
    }

    private static String media(Cloud c) {
        return "/v23.0/" + c.phoneNumberId() + "/media";
    }

    private static void mediaAnswers(Cloud c, int status, String body) {
        GraphMock.server().stubFor(post(urlEqualTo(media(c))).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static String draft(Workspace w) {
        return w.owner().req().body(Map.of("list", "morgen", "title", "Bild", "template",
                Map.of("name", "bild_news", "language", "de", "parameters", List.of("Stadtrat"))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
    }

    private static Response upload(io.consentcast.testsupport.Api api, String slug, String id, String type, byte[] bytes) {
        return api.req().contentType(type).header("Content-Disposition", "attachment; filename=\"rathaus.jpg\"").body(bytes)
                .post("/api/tenants/" + slug + "/issues/" + id + "/header-media");
    }

    private List<JsonNode> headers(Cloud c) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (LoggedRequest r : GraphMock.server().findAll(postRequestedFor(urlEqualTo(c.messages())))) {
            out.add(json.readTree(r.getBodyAsString()).path("template").path("components").get(0));
        }
        return out;
    }

    /**
     * Messages Meta accepted, or whose answer was lost (AWAITING its status webhook: on a loaded machine WireMock may
     * answer after the 2 s read timeout); either way the request is on the fake's journal, which the tests read.
     */
    private static int handedToMeta(io.restassured.path.json.JsonPath issue) {
        return issue.getInt("counts.sent") + issue.getInt("counts.awaiting");
    }

    private static JsonNode imageById(ObjectMapper json, String id) throws Exception {
        return json.readTree("{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"id\":\"" + id + "\"}}]}");
    }

    @Test
    void anUploadedImageGoesToMetaForTheListsNumberAndIsSentByItsMediaIdReUploadedWhenOld() throws Exception {
        Cloud c = cloud("hmc");
        Workspace w = c.w();
        cf.readers(c, 1);
        String id = draft(w);
        String file = w.issues() + "/" + id + "/header-media";

        // Wrong type for the header, wrong content for the type, too large for Meta, no file type at all: 4xx,
        // the field named, nothing stored.
        upload(w.owner(), w.slug(), id, "video/mp4", JPEG).then().statusCode(400)
                .body("errors.file", equalTo("An image header takes a JPEG or PNG file (image/jpeg, image/png)."));
        upload(w.owner(), w.slug(), id, "image/png", JPEG).then().statusCode(400)
                .body("errors.file", containsString("not what its type says"));
        upload(w.owner(), w.slug(), id, "image/jpeg", jpeg(5 * 1024 * 1024 + 1)).then().statusCode(400)
                .body("errors.file", equalTo("WhatsApp takes images of at most 5 MB."));
        upload(w.owner(), w.slug(), id, "image/jpeg", new byte[0]).then().statusCode(400);
        upload(w.owner(), w.slug(), id, "text/plain", JPEG).then().statusCode(415)
                .body("detail", containsString("image/jpeg, image/png, video/mp4 or application/pdf"));
        w.owner().req().get(file).then().statusCode(404);
        assertEquals(0, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());

        // Stored; not sendable before Meta has it: sending uploads it first, on the list's number.
        upload(w.owner(), w.slug(), id, "image/jpeg", JPEG).then().statusCode(201)
                .body("fileName", equalTo("rathaus.jpg")).body("format", equalTo("IMAGE")).body("size", equalTo(2048));
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).body("status", equalTo("PREPARING"));
        try (Dispatcher d = fx.dispatcher("media-cloud", 2)) {
            assertEquals(1, handedToMeta(cf.settle(d, c, id)));
        }
        List<LoggedRequest> uploads = GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c))));
        assertEquals(1, uploads.size());
        LoggedRequest up = uploads.get(0);
        assertEquals("Bearer tok-hmc", up.getHeader("Authorization"));
        assertTrue(up.getHeader("Content-Type").startsWith("multipart/form-data"), up.getHeader("Content-Type"));
        assertEquals("whatsapp", up.getPart("messaging_product").getBody().asString());
        assertEquals("image/jpeg", up.getPart("type").getBody().asString());
        assertArrayEquals(JPEG, up.getPart("file").getBody().asBytes());
        assertTrue(up.getPart("file").getHeader("Content-Type").firstValue().startsWith("image/jpeg"));
        assertTrue(up.getLoggedDate().getTime() <= GraphMock.server().findAll(postRequestedFor(urlEqualTo(c.messages())))
                .get(0).getLoggedDate().getTime(), "the upload comes before the send");
        assertEquals(List.of(imageById(json, "4490709327384033")), headers(c));
        w.owner().req().get(file).then().statusCode(200).body("uploadedFor", equalTo(c.phoneNumberId()));

        // A duplicate has its own copy; scheduled, it is uploaded at once; 28 days later that id is too old
        // (Meta keeps ids 30 days): the start uploads again and sends with the new id.
        String second = w.owner().req().post(w.issues() + "/" + id + "/duplicate").then().statusCode(201)
                .extract().path("id");
        mediaAnswers(c, 200, "{\"id\":\"1111111111111111\"}");
        w.owner().req().body(Map.of("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post(w.issues() + "/" + second + "/schedule").then().statusCode(200).body("status", equalTo("SCHEDULED"));
        assertEquals(2, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());
        clock.advance(Duration.ofDays(28));
        mediaAnswers(c, 200, "{\"id\":\"2222222222222222\"}");
        try (Dispatcher d = fx.dispatcher("media-cloud-2", 2)) {
            assertEquals(1, handedToMeta(cf.settle(d, c, second)));
        }
        assertEquals(3, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());
        assertEquals(imageById(json, "2222222222222222"), headers(c).get(1));
    }

    @Test
    void metaRefusingTheUploadBlocksTheIssueWithItsReasonAndARetrySends() throws Exception {
        Cloud c = cloud("hmf");
        Workspace w = c.w();
        cf.readers(c, 1);
        String id = draft(w);
        upload(w.owner(), w.slug(), id, "image/jpeg", JPEG).then().statusCode(201);
        mediaAnswers(c, 500, "{\"error\":{\"message\":\"An unknown error has occurred.\",\"type\":\"OAuthException\","
                + "\"code\":1,\"fbtrace_id\":\"AbCdEf\"}}");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).body("status", equalTo("BLOCKED"));
        w.owner().req().get(w.issues() + "/" + id).then().statusCode(200)
                .body("blockedReason", equalTo("dispatch.blocked-header-media"))
                .body("headerFile.uploadError", containsString("An unknown error has occurred."));
        String html = given().auth().oauth2(w.owner().token()).accept("text/html").header("Accept-Language", "de")
                .get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("WhatsApp hat die Kopf-Datei abgelehnt"), html);
        assertEquals(0, GraphMock.server().findAll(postRequestedFor(urlEqualTo(c.messages()))).size());
        assertEquals(1, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());

        mediaAnswers(c, 200, "{\"id\":\"3333333333333333\"}");
        // The engine's re-check of the blocked issue does not send the whole file again at once (every 15 s while
        // Meta refuses): only after consentcast.media.retry-after (5 minutes).
        DispatchWork.JobRef job = new DispatchWork.JobRef(java.util.UUID.fromString(id), w.tenantId());
        jobs.uploadHeader(job);
        assertEquals(1, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());
        clock.advance(java.time.Duration.ofMinutes(6));
        jobs.uploadHeader(job);
        assertEquals(2, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());
        mediaAnswers(c, 500, "{\"error\":{\"message\":\"An unknown error has occurred.\",\"type\":\"OAuthException\","
                + "\"code\":1,\"fbtrace_id\":\"AbCdEf2\"}}");
        jobs.uploadHeader(job); // ready since the upload above: nothing to send
        assertEquals(2, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size());
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).body("status", equalTo("PREPARING"));
        try (Dispatcher d = fx.dispatcher("media-retry", 2)) {
            assertEquals(1, handedToMeta(cf.settle(d, c, id)));
        }
        assertEquals(List.of(imageById(json, "3333333333333333")), headers(c));
        assertEquals(2, GraphMock.server().findAll(postRequestedFor(urlEqualTo(media(c)))).size(), "no upload more");
    }

    @Test
    void anotherWorkspaceCannotReadOrReplaceTheFile() {
        Cloud c = cloud("hmi");
        Workspace w = c.w();
        String id = draft(w);
        String mediaId = upload(w.owner(), w.slug(), id, "image/jpeg", JPEG).then().statusCode(201).extract().path("id");
        Workspace other = fx.workspace("hmo");
        // Another workspace's member: neither through the victim's workspace nor through their own.
        for (String slug : List.of(w.slug(), other.slug())) {
            other.owner().req().get("/api/tenants/" + slug + "/issues/" + id + "/header-media").then().statusCode(404);
            upload(other.owner(), slug, id, "image/jpeg", JPEG).then().statusCode(404);
            other.owner().req().delete("/api/tenants/" + slug + "/issues/" + id + "/header-media").then().statusCode(404);
            given().auth().oauth2(other.owner().token()).get("/t/" + slug + "/media/" + mediaId).then().statusCode(404);
        }
        byte[] served = given().auth().oauth2(w.owner().token()).get("/t/" + w.slug() + "/media/" + mediaId).then()
                .statusCode(200).contentType("image/jpeg").extract().asByteArray();
        assertArrayEquals(JPEG, served);
        w.owner().req().get(w.issues() + "/" + id + "/header-media").then().statusCode(200).body("id", equalTo(mediaId));
    }

    @Test
    void theComposePageUploadsTheFileAndTheSandboxPhoneShowsTheImage() {
        Workspace w = fx.workspace("hms");
        String phone = DispatchFixture.number();
        fx.confirmed(w, phone);
        String compose = "/t/" + w.slug() + "/issues/new";
        Response form = given().auth().oauth2(w.owner().token()).accept("text/html").get(compose);
        String formHtml = form.then().statusCode(200).extract().asString();
        assertTrue(formHtml.contains("enctype=\"multipart/form-data\"") && formHtml.contains("name=\"headerFile\""));

        // A PDF for an image header: a form error in the page's language, nothing stored.
        String refused = composeMultipart(w, form, formHtml, "plan.pdf", "application/pdf", "%PDF-1.7\n".getBytes())
                .then().statusCode(400).extract().asString();
        assertTrue(refused.contains("Ein Bildkopf nimmt eine JPEG- oder PNG-Datei"), refused);
        assertEquals(0, w.owner().req().get(w.issues()).then().extract().jsonPath().getList("$").size());
        // Without the form token: refused by the guard, multipart or not.
        given().auth().oauth2(w.owner().token()).redirects().follow(false).multiPart("title", "x")
                .multiPart("headerFile", "a.jpg", JPEG, "image/jpeg").post(compose).then().statusCode(403);

        String location = composeMultipart(w, form, formHtml, "rathaus.jpg", "image/jpeg", JPEG).then().statusCode(303)
                .extract().header("Location");
        Matcher m = Pattern.compile("/issues/([0-9a-f-]{36})").matcher(location);
        assertTrue(m.find(), location);
        String id = m.group(1);
        String mediaId = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200)
                .body("headerFile.fileName", equalTo("rathaus.jpg")).extract().path("headerFile.id");
        try (Dispatcher d = fx.dispatcher("media-sandbox", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        String src = "src=\"/t/" + w.slug() + "/media/" + mediaId + "\"";
        String phonePage = given().auth().oauth2(w.owner().token()).accept("text/html").get("/t/" + w.slug() + "/sandbox")
                .then().statusCode(200).extract().asString();
        assertTrue(phonePage.contains("<img class=\"wa-media-image\" " + src), phonePage);
        String issuePage = given().auth().oauth2(w.owner().token()).accept("text/html")
                .get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200).extract().asString();
        assertTrue(issuePage.contains("<img class=\"wa-media-image\" " + src), issuePage);
        given().auth().oauth2(w.owner().token()).get("/t/" + w.slug() + "/media/" + mediaId).then().statusCode(200)
                .contentType("image/jpeg");
    }

    private static Response composeMultipart(Workspace w, Response form, String html, String name, String type,
            byte[] bytes) {
        return given().auth().oauth2(w.owner().token()).redirects().follow(false).header("Accept-Language", "de")
                .cookie("csrf-token", form.getCookie("csrf-token")).multiPart("csrf-token", Forms.csrfToken(html))
                .multiPart("list", w.list()).multiPart("title", "Bild").multiPart("template", "newsletter_rich|de")
                .multiPart("p1", "Stadtrat").multiPart("p2", "Der Haushalt steht")
                .multiPart("button1", "https://news.example/a").multiPart("action", "send")
                .multiPart("headerFile", name, bytes, type).post("/t/" + w.slug() + "/issues/new");
    }
}
