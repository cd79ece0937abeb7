package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.TemplateBody;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A parameter whose value contains a placeholder ({@code {{2}}}) is shown and sent as written, the same in the
 * issue preview (API and page), the sandbox phone's message and the Cloud API request Meta receives: one
 * renderer ({@link TemplateBody}), one pass, never filled in twice.
 */
@QuarkusTest
class TemplateRenderingTest {

    private static final String TITLE = "Price {{2}} explained";
    private static final String LINK = "https://example.org/issue/7";

    @Inject
    DispatchFixture fx;

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theSandboxShowsTheMessageAsThePreviewDoes() {
        DispatchFixture.Workspace w = fx.workspace("render");
        fx.confirmed(w, DispatchFixture.number());
        String id = w.owner().req().body(Map.of("list", w.list(), "title", "Render", "template",
                Map.of("name", "newsletter_issue_link", "language", "de", "parameters", List.of(TITLE, LINK))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
        String expected = "Neue Ausgabe: Price {{2}} explained. Hier lesen: " + LINK;

        assertEquals(expected, w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract()
                .path("preview"), "the API's preview");
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/issues/" + id).then().statusCode(200)
                .body(containsString(expected));
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("render", 1)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        List<String> phone = scope.call(w.tenantId(), () -> em.createNativeQuery(
                "select rendered_text from whatsapp_sandbox_messages where tenant_id = ?1", String.class)
                .setParameter(1, w.tenantId()).getResultList());
        assertEquals(List.of(expected), phone, "the sandbox phone's message");
        w.owner().req().accept("text/html").get("/t/" + w.slug() + "/sandbox").then().statusCode(200)
                .body(containsString(expected));
    }

    @Test
    void metaReceivesTheParametersAsWrittenSoItShowsWhatThePreviewShows() throws Exception {
        String body = "Heute: {{1}}. Mehr: {{2}}";
        Sent sent = sendOnCloudApi("renderc", "briefing_link", body, null);
        assertEquals("Heute: Price {{2}} explained. Mehr: " + LINK, sent.preview());
        assertEquals(List.of(TITLE, LINK), sent.values(), "the values as written, in placeholder order");
        assertEquals(Arrays.asList(null, null), sent.names(), "positional parameters carry no name");
        // Meta fills {{1}}, {{2}} of the approved body with these values once: what the reader sees is the preview.
        assertEquals(sent.preview(), TemplateBody.render(body, sent.values()));
    }

    @Test
    void aTemplateWithNamedPlaceholdersIsSentWithTheirNames() throws Exception {
        String body = "Heute: {{topic}}. Mehr: {{link}}";
        Sent sent = sendOnCloudApi("rendern", "briefing_named", body, "NAMED");
        assertEquals("Heute: Price {{2}} explained. Mehr: " + LINK, sent.preview());
        assertEquals(List.of(TITLE, LINK), sent.values());
        assertEquals(List.of("topic", "link"), sent.names(), "Meta matches named parameters by their name");
    }

    /** What the Graph fake received for the one message of an issue sent with a template of this body. */
    private record Sent(String preview, List<String> names, List<String> values) {
    }

    private Sent sendOnCloudApi(String prefix, String template, String body, String format) throws Exception {
        DispatchFixture.Workspace w = fx.workspace(prefix);
        String phone = DispatchEngineTest.graphId();
        String waba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-" + prefix);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "tok-" + prefix))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"data\":[{\"category\":\"MARKETING\",\"components\":[{\"text\":\"" + body
                                + "\",\"type\":\"BODY\"}],\"id\":\"77\",\"language\":\"de\",\"name\":\""
                                + template + "\",\"status\":\"APPROVED\""
                                + (format == null ? "" : ",\"parameter_format\":\"" + format + "\"") + "}]}")));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        String messages = "/v23.0/" + phone + "/messages";
        GraphMock.server().stubFor(post(urlEqualTo(messages)).willReturn(AmbiguousSendTest.acceptedAnyId()));
        fx.confirmed(w, DispatchFixture.number());
        String id = w.owner().req().body(Map.of("list", w.list(), "title", "Render", "template",
                Map.of("name", template, "language", "de", "parameters", List.of(TITLE, LINK))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
        String preview = w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract()
                .path("preview");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher(prefix, 1)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        List<LoggedRequest> requests = GraphMock.server().findAll(postRequestedFor(urlEqualTo(messages)));
        assertEquals(1, requests.size());
        JsonNode component = json.readTree(requests.get(0).getBodyAsString()).path("template").path("components")
                .path(0);
        assertEquals("body", component.path("type").asText());
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        component.path("parameters").forEach(p -> {
            names.add(p.has("parameter_name") ? p.path("parameter_name").asText() : null);
            values.add(p.path("text").asText());
        });
        return new Sent(preview, names, values);
    }
}
