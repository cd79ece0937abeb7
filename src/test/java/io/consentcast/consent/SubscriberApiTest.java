package io.consentcast.consent;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/** A subscriber's history, data export and erasure through the API. */
@QuarkusTest
class SubscriberApiTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    record Setup(Api owner, String slug, SubscriberView subscriber, ConsentTextView text, UUID list) {
    }

    /** A list of the workspace, created through the API as a publisher would. */
    private static UUID newList(Api owner, String slug, String listSlug) {
        return UUID.fromString(owner.req().body(Fixtures.germanList(listSlug, listSlug.toUpperCase(java.util.Locale.ROOT)))
                .post("/api/tenants/" + slug + "/lists").then().statusCode(201).extract().path("id"));
    }

    private Setup subscribed() {
        Api owner = Api.newUser("dsr");
        String slug = owner.createWorkspace("dsr");
        UUID list = newList(owner, slug, "news");
        ConsentTextView text = fx.in(slug, () -> consent.publishConsentText(list, "en", "Yes, send me the news.", null));
        SubscriberView s = fx.in(slug, () -> consent.subscriberFor("+4916098765432"));
        fx.run(slug, () -> {
            consent.append(NewEvent.of(s.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE).forList(list)
                    .withConsentText(text.id()).withClient("192.0.2.44", false, "Firefox"));
            consent.append(NewEvent.of(s.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(list)
                    .withConsentText(text.id()).withWhatsApp("wamid.yes", null));
        });
        return new Setup(owner, slug, s, text, list);
    }

    @Test
    void eventsAreListedOldestFirstForEveryMember() {
        Setup s = subscribed();
        Api viewer = Api.newUser("viewer");
        s.owner().addMember(s.slug(), viewer, "VIEWER");
        String base = "/api/tenants/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        viewer.req().get(base + "/events").then().statusCode(200)
                .body("type", contains("REQUESTED", "CONFIRMED"))
                .body("seq", contains(1, 2))
                .body("[0].ip", nullValue())
                .body("[0].evidenceDigest", notNullValue())
                .body("[1].waMessageId", equalTo("wamid.yes"));
        viewer.req().get(base).then().statusCode(200)
                .body("subscriber.phone", equalTo("+4916098765432"))
                .body("states[0].state", equalTo("CONFIRMED"));
        viewer.req().get(base + "/export").then().statusCode(403);
        viewer.req().post(base + "/erase").then().statusCode(403);
        viewer.req().get("/api/tenants/" + s.slug() + "/subscribers/unknown/events").then().statusCode(404)
                .body("detail", equalTo("There is no such subscriber in this workspace."));
    }

    /**
     * IP address and browser are evidence details for ADMIN and OWNER only, in the API and on the consent record
     * page; EDITOR and VIEWER see that there is evidence and that admins can read it.
     */
    @Test
    void evidenceDetailsAreForAdminsAndOwnersOnly() {
        Setup s = subscribed();
        Map<String, Api> members = new java.util.LinkedHashMap<>();
        members.put("OWNER", s.owner());
        for (String role : java.util.List.of("ADMIN", "EDITOR", "VIEWER")) {
            Api member = Api.newUser(role.toLowerCase(java.util.Locale.ROOT));
            s.owner().addMember(s.slug(), member, role);
            members.put(role, member);
        }
        String base = "/api/tenants/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        String page = "/t/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        members.forEach((role, member) -> {
            boolean admin = role.equals("OWNER") || role.equals("ADMIN");
            member.req().get(base + "/events").then().statusCode(200)
                    .body("[0].ip", admin ? equalTo("192.0.2.44") : nullValue())
                    .body("[0].userAgent", admin ? equalTo("Firefox") : nullValue())
                    .body("[0].evidenceWithheld", equalTo(!admin))
                    .body("[0].evidenceDigest", notNullValue())
                    .body("[1].evidenceWithheld", equalTo(false));
            String html = io.restassured.RestAssured.given().auth().oauth2(member.token())
                    .header("Accept-Language", "en").get(page).then().statusCode(200).extract().asString();
            org.junit.jupiter.api.Assertions.assertEquals(admin, html.contains("192.0.2.44"), role + " sees the IP");
            org.junit.jupiter.api.Assertions.assertEquals(admin, html.contains("Firefox"), role + " sees the browser");
            org.junit.jupiter.api.Assertions.assertEquals(!admin,
                    html.contains("IP address and browser: visible to admins"), role + " is told why");
        });
        String german = io.restassured.RestAssured.given().auth().oauth2(members.get("VIEWER").token())
                .header("Accept-Language", "de").get(page).then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(german.contains("IP-Adresse und Browser: nur für Admins sichtbar"),
                german);
    }

    @Test
    void theExportHoldsEverythingAboutTheSubscriber() {
        Setup s = subscribed();
        String base = "/api/tenants/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        s.owner().req().get(base + "/export").then().statusCode(200)
                .body("subscriber.phone", equalTo("+4916098765432"))
                .body("subscriber.publicId", equalTo(s.subscriber().publicId()))
                .body("states", hasSize(1))
                .body("events", hasSize(2))
                .body("events[0].userAgent", equalTo("Firefox"))
                .body("consentTexts[0].text", equalTo("Yes, send me the news."))
                .body("consentTexts[0].sha256", equalTo(s.text().sha256()));
    }

    @Test
    void erasureRemovesPersonalDataKeepsTheChainAndIsRepeatable() {
        Setup s = subscribed();
        String base = "/api/tenants/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        s.owner().req().post(base + "/erase").then().statusCode(200)
                .body("phone", nullValue()).body("erasedAt", notNullValue());
        s.owner().req().post(base + "/erase").then().statusCode(200).body("phone", nullValue());
        s.owner().req().get(base + "/events").then().statusCode(200)
                .body("type", contains("REQUESTED", "CONFIRMED", "ERASED"))
                .body("[0].ip", nullValue())
                .body("[0].userAgent", nullValue())
                .body("[0].evidenceDigest", notNullValue());
        s.owner().req().get(base).then().body("states[0].state", equalTo("SUPPRESSED"));
        s.owner().req().get("/api/tenants/" + s.slug() + "/consent-events/verify").then()
                .body("valid", equalTo(true)).body("events", equalTo(3));
        String csv = s.owner().req().accept("*/*").get("/api/tenants/" + s.slug() + "/consent-events/export")
                .then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(csv.contains("4916098765432"), "the number is gone from exports");
        org.junit.jupiter.api.Assertions.assertFalse(csv.contains("192.0.2.44"), "the IP address is gone");
        s.owner().req().get("/api/tenants/" + s.slug() + "/activity").then()
                .body("findAll { it.action == 'subscriber.erased' }", hasSize(1));
    }

    @Test
    void anAdminRecordsAWithdrawalWithAReason() {
        Setup s = subscribed();
        String base = "/api/tenants/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        s.owner().req().body(Map.of()).post(base + "/withdraw").then().statusCode(400)
                .body("errors.reason", equalTo("Give a reason."));
        s.owner().req().body(Map.of("listId", s.list().toString(), "reason", "Asked by letter of 2026-11-20"))
                .post(base + "/withdraw").then().statusCode(200)
                .body("type", equalTo("WITHDRAWN")).body("source", equalTo("ADMIN"))
                .body("actorUserId", notNullValue()).body("seq", equalTo(3));
        s.owner().req().get(base).then().body("states[0].state", equalTo("WITHDRAWN"));
    }

    @Test
    void aListIdOfAnotherWorkspaceOrOfNoListIsRefusedAndStoresNothing() {
        Setup s = subscribed();
        Api stranger = Api.newUser("stranger");
        String strangerSlug = stranger.createWorkspace("stranger");
        UUID foreignList = newList(stranger, strangerSlug, "fremd");
        String subscriber = "/api/tenants/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        String texts = "/api/tenants/" + s.slug() + "/consent-texts";
        for (UUID bad : List.of(foreignList, UUID.randomUUID())) {
            s.owner().req().body(Map.of("listId", bad.toString(), "reason", "letter"))
                    .post(subscriber + "/withdraw").then().statusCode(404)
                    .body("errors.listId", equalTo("There is no such list in this workspace."));
            s.owner().req().body(Map.of("listId", bad.toString(), "language", "de", "text", "Ja."))
                    .post(texts).then().statusCode(404).body("errors.listId", notNullValue());
            s.owner().req().queryParam("list", bad.toString()).get(texts).then().statusCode(404)
                    .body("errors.list", notNullValue());
            s.owner().req().queryParam("list", bad.toString()).get("/api/tenants/" + s.slug() + "/subscribers")
                    .then().statusCode(404).body("errors.list", notNullValue());
        }
        s.owner().req().get(subscriber + "/events").then().statusCode(200).body("type", contains("REQUESTED", "CONFIRMED"));
        s.owner().req().queryParam("list", s.list().toString()).get(texts).then().statusCode(200)
                .body("listId", everyItem(equalTo(s.list().toString())));
        s.owner().req().get(texts).then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void consentTextsArePublishedThroughTheApi() {
        Api owner = Api.newUser("texts");
        String slug = owner.createWorkspace("texts");
        UUID list = newList(owner, slug, "texte");
        String base = "/api/tenants/" + slug + "/consent-texts";
        owner.req().get(base + "/current").then().statusCode(404);
        // Creating the list published its text as version 1.
        owner.req().body(Map.of("listId", list.toString(), "language", "de", "text", "Ja, bitte."))
                .post(base).then().statusCode(201).body("version", equalTo(2));
        owner.req().body(Map.of("listId", list.toString(), "language", "de", "text", "Ja, bitte."))
                .post(base).then().statusCode(200).body("version", equalTo(2));
        owner.req().body(Map.of("listId", list.toString(), "language", "de", "text", "Ja, gerne."))
                .post(base).then().statusCode(201).body("version", equalTo(3));
        owner.req().queryParam("list", list.toString()).get(base + "/current").then().statusCode(200)
                .body("text", equalTo("Ja, gerne."));
        owner.req().body(Map.of("language", "xx", "text", "")).post(base).then().statusCode(400)
                .body("errors.language", equalTo("Choose German (de) or English (en)."))
                .body("errors.text", equalTo("Enter the consent text."));
        owner.req().get("/api/tenants/" + slug + "/activity").then().statusCode(200)
                .body("findAll { it.action == 'consent-text.published' }", hasSize(3))
                .body("actorEmail", hasItem(owner.email()));
    }
}
