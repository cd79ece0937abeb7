package io.consentcast.consent;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import java.time.Clock;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/** The subscriber directory: filters by list, state, date and number, through the API and the page. */
@QuarkusTest
class DirectoryTest {

    @Inject
    LedgerFixture fixture;

    @Inject
    ConsentService consent;

    @Inject
    Clock clock;

    @Test
    void filtersByListStateAndNumber() {
        Api owner = Api.newUser("dir");
        String slug = owner.createWorkspace("dir");
        UUID morning = UUID.fromString(owner.req().body(Fixtures.germanList("morgen", "MORGEN"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        UUID evening = UUID.fromString(owner.req().body(Fixtures.germanList("abend", "ABEND"))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
        fixture.run(slug, () -> {
            confirm("+4915100000101", morning);
            confirm("+4915100000102", morning);
            confirm("+4915100000103", evening);
            consent.append(NewEvent.of(consent.subscriberFor("+4915100000104").id(), ConsentEventType.REQUESTED,
                    EventSource.LANDING_PAGE).forList(morning).withConsentText(
                            consent.currentConsentText(morning).orElseThrow().id()));
        });
        String base = "/api/tenants/" + slug + "/subscribers";
        owner.req().get(base).then().statusCode(200).body("total", equalTo(4));
        owner.req().queryParam("list", morning.toString()).queryParam("state", "CONFIRMED").get(base).then()
                .statusCode(200).body("total", equalTo(2)).body("items.phone", hasItem("+4915100000101"))
                .body("items[0].lists[0].list", equalTo(morning.toString()))
                .body("items[0].lists[0].state", equalTo("CONFIRMED"));
        owner.req().queryParam("state", "pending").get(base).then().body("total", equalTo(1))
                .body("items[0].phone", equalTo("+4915100000104"));
        owner.req().queryParam("q", "0151 00000103").get(base).then().body("total", equalTo(1));
        // International digits without "+", as WhatsApp writes numbers (wa_id).
        owner.req().queryParam("q", "4915100000103").get(base).then().body("total", equalTo(1));
        owner.req().queryParam("state", "HAPPY").queryParam("list", "x").queryParam("from", "yesterday")
                .get(base).then().statusCode(400).body("errors", hasKey("state")).body("errors", hasKey("list"))
                .body("errors", hasKey("from"));

        owner.req().accept("text/html").header("Accept-Language", "de").queryParam("state", "CONFIRMED")
                .get("/t/" + slug + "/subscribers").then().statusCode(200)
                .body(containsString("3 Abonnenten")).body(containsString("Morgenbriefing: Bestätigt"));
    }

    private void confirm(String phone, UUID list) {
        consent.append(NewEvent.of(consent.subscriberFor(phone).id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP)
                .forList(list).withConsentText(consent.currentConsentText(list).orElseThrow().id())
                .withWhatsApp("wamid." + UUID.randomUUID(), clock.instant()));
    }
}
