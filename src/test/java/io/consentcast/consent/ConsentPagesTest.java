package io.consentcast.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The consent record (receipt) and the audit page, in German and English. */
@QuarkusTest
class ConsentPagesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]+)\"");

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    private final UUID list = UUID.randomUUID();

    private static RequestSpecification page(Api user, String lang) {
        return given().auth().oauth2(user.token()).header("Accept-Language", lang).redirects().follow(false);
    }

    record Setup(Api owner, String slug, SubscriberView subscriber) {
    }

    private Setup setup() {
        Api owner = Api.newUser("pages");
        String slug = owner.createWorkspace("pages");
        ConsentTextView text = fx.in(slug, () -> consent.publishConsentText(list, "de",
                "Ja, ich möchte den Newsletter per WhatsApp. Abmeldung mit STOP.", null));
        SubscriberView s = fx.in(slug, () -> consent.subscriberFor("+4915155556666"));
        fx.run(slug, () -> {
            consent.append(NewEvent.of(s.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE).forList(list)
                    .withConsentText(text.id()).withSourceDetail("https://example.org/p/pages")
                    .withClient("198.51.100.7", true, "Safari"));
            consent.append(NewEvent.of(s.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(list)
                    .withConsentText(text.id()).withWhatsApp("wamid.page", Instant.parse("2026-11-28T09:00:00Z")));
        });
        return new Setup(owner, slug, s);
    }

    @Test
    void theConsentRecordShowsTheFullHistoryInGermanAndEnglish() {
        Setup s = setup();
        String path = "/t/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        page(s.owner(), "de").get(path).then().statusCode(200)
                .body(containsString("<html lang=\"de\">"))
                .body(containsString("Einwilligungsnachweis"))
                .body(containsString("Anmeldung angefordert"))
                .body(containsString("Einwilligung bestätigt"))
                .body(containsString("Einwilligungstext Version 1 (de)"))
                .body(containsString("Ja, ich möchte den Newsletter per WhatsApp. Abmeldung mit STOP."))
                .body(containsString("wamid.page"))
                .body(containsString("198.51.100.0"))
                .body(containsString("+4915155556666"));
        page(s.owner(), "en").get(path).then().statusCode(200)
                .body(containsString("Consent record"))
                .body(containsString("Subscription requested"))
                .body(containsString("Consent confirmed"))
                .body(containsString("https://example.org/p/pages"));
        Api viewer = Api.newUser("viewer");
        s.owner().addMember(s.slug(), viewer, "VIEWER");
        page(viewer, "en").get(path).then().statusCode(200).body(not(containsString("Erase personal data")));
        page(viewer, "en").get("/t/" + s.slug() + "/audit").then().statusCode(403);
    }

    @Test
    void theAuditPageVerifiesExportsAndFindsSubscribers() {
        Setup s = setup();
        String audit = "/t/" + s.slug() + "/audit";
        Response get = page(s.owner(), "en").get(audit);
        get.then().statusCode(200).body(containsString("Audit &amp; exports")).body(containsString("Verify integrity"))
                .body(containsString("Activity")).body(containsString("No checkpoint yet."));
        Response verified = postForm(s.owner(), "en", get, audit + "/verify");
        verified.then().statusCode(200).body(containsString("The ledger is intact: 2 events checked."));
        Response verifiedDe = postForm(s.owner(), "de", page(s.owner(), "de").get(audit), audit + "/verify");
        verifiedDe.then().statusCode(200).body(containsString("Das Protokoll ist unverändert: 2 Ereignisse geprüft."));

        page(s.owner(), "en").queryParam("format", "csv").get(audit + "/export").then().statusCode(200)
                .contentType(startsWith("text/csv")).body(startsWith("id,tenant_id,subscriber_id,seq"));
        page(s.owner(), "en").queryParam("format", "pdf").get(audit + "/export").then().statusCode(400)
                .body(containsString("Choose the format csv or ndjson."));
        page(s.owner(), "en").get(audit).then().body(containsString("Consent events downloaded"))
                .body(not(containsString("No checkpoint yet"))).body(containsString("Latest checkpoint no. 1"));

        page(s.owner(), "en").queryParam("phone", "0151 55556666").get("/t/" + s.slug() + "/subscribers").then()
                .statusCode(303).header("Location", containsString("/subscribers/" + s.subscriber().publicId()));
        page(s.owner(), "de").queryParam("phone", "0151 99999999").get("/t/" + s.slug() + "/subscribers").then()
                .statusCode(404).body(containsString("Es gibt keinen Abonnenten mit dieser Nummer."));
    }

    @Test
    void erasingFromTheRecordPageKeepsTheHistory() {
        Setup s = setup();
        String path = "/t/" + s.slug() + "/subscribers/" + s.subscriber().publicId();
        Response form = page(s.owner(), "en").get(path);
        form.then().body(containsString("Erase personal data"));
        postForm(s.owner(), "en", form, path + "/erase").then().statusCode(303)
                .header("Location", containsString(path + "?erased=1"));
        page(s.owner(), "en").get(path + "?erased=1").then().statusCode(200)
                .body(containsString("personal data has been erased."))
                .body(containsString("Personal data erased"))
                .body(containsString("Consent confirmed"))
                .body(not(containsString("+4915155556666")))
                .body(not(containsString("198.51.100.0")))
                .body(not(containsString("Erase personal data</button>")));
    }

    /** Posts a page's form the way a browser does: with the CSRF cookie and hidden field. */
    private static Response postForm(Api user, String lang, Response formPage, String action) {
        Matcher m = CSRF.matcher(formPage.asString());
        assertTrue(m.find(), "the page has a CSRF field");
        RequestSpecification req = page(user, lang).contentType("application/x-www-form-urlencoded")
                .formParam(m.group(1), m.group(2));
        formPage.getCookies().forEach(req::cookie);
        return req.post(action);
    }
}
