package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TemplateSyncTest {

    @Inject
    TemplateService templates;

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    @Inject
    WebhookInbox inbox;

    @Inject
    RecordedEvents events;

    @Test
    void templatesAreSyncedFromTheAccountAndFollowStatusWebhooks() {
        Api owner = Api.newUser("tpl");
        String slug = owner.createWorkspace("tpl");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phone = WaTestSupport.graphId();
        String waba = WaTestSupport.graphId();
        WaTestSupport.cloudApi(owner, slug, phone, waba, "tpl-token");
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(CloudApiChannelTest.fixture("templates.json"))));

        owner.req().post("/api/tenants/" + slug + "/templates/sync").then().statusCode(200)
                .body("name", hasItems("2023_april_promo", "morning_briefing", "subscription_confirmed"))
                .body("find { it.name == '2023_april_promo' }.parameterCount", equalTo(2))
                .body("find { it.name == '2023_april_promo' }.placeholders", equalTo(List.of("1", "2")))
                .body("find { it.name == '2023_april_promo' }.usable", equalTo(false))
                .body("find { it.name == 'morning_briefing' }.usable", equalTo(true))
                .body("find { it.name == 'morning_briefing' }.quickReplies", equalTo(List.of("Stop promotions")));
        assertEquals(List.of("morning_briefing", "subscription_confirmed"), tenantScope.call(tenantId,
                () -> templates.views().stream().filter(TemplateService.TemplateView::usable).map(TemplateService.TemplateView::name).toList()));

        // Meta pauses a template: the webhook updates the list and hands the change over; duplicates are ignored.
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","time":1764338400,"changes":[{"field":"message_template_status_update",
                 "value":{"event":"PAUSED","message_template_id":920070352646141,"message_template_name":"morning_briefing",
                 "message_template_language":"de","reason":"NONE","other_info":{"title":"FIRST_PAUSE","description":"Low quality"}}}]}]}
                """.formatted(waba);
        for (int i = 0; i < 2; i++) {
            given().header("X-Hub-Signature-256", WaTestSupport.sign(body)).contentType("application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8)).post("/webhooks/whatsapp").then().statusCode(200);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            inbox.processPending();
            assertEquals(List.of("PAUSED"), events.templates(tenantId).stream().map(TemplateStatusChanged::status)
                    .toList());
        });
        assertEquals(List.of("subscription_confirmed"), tenantScope.call(tenantId,
                () -> templates.views().stream().filter(TemplateService.TemplateView::usable).map(TemplateService.TemplateView::name).toList()));
        given().auth().oauth2(owner.token()).accept("text/html").get("/t/" + slug + "/templates").then()
                .statusCode(200).body(containsString("paused")).body(containsString("morning_briefing"));

        // The account refuses the token: sync fails visibly and the channel is stopped.
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody(CloudApiChannelTest.fixture("error-190.json"))));
        owner.req().post("/api/tenants/" + slug + "/templates/sync").then().statusCode(502);
        owner.req().get("/api/tenants/" + slug + "/channel").then().body("stopped", equalTo(true));
    }
}
