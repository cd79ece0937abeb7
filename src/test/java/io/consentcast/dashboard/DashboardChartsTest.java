package io.consentcast.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.dispatch.DispatchFixture;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.optin.PageViews;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard's tiles and charts: readers per state over 90 days read back from the ledger, the opt-in funnel
 * per list with the landing page views counted on the public GET, each chart with its text alternative; a
 * workspace without data gets the empty states instead.
 */
@QuarkusTest
class DashboardChartsTest {

    @Inject
    DispatchFixture fx;

    @Inject
    PageViews pageViews;

    @Inject
    TestClock clock;

    private static String dashboard(Api owner, String slug, String lang) {
        return owner.req().accept("text/html").cookie("cc_lang", lang).get("/t/" + slug).then().statusCode(200)
                .extract().asString();
    }

    /** The text of an element with an id, e.g. the chart's {@code <desc>}. */
    private static String byId(String html, String tag, String id) {
        Matcher m = Pattern.compile("<" + tag + " id=\"" + id + "\">([^<]*)</" + tag + ">").matcher(html);
        assertTrue(m.find(), "no <" + tag + " id=" + id + "> in " + html);
        return m.group(1);
    }

    private static String tile(String html, String key) {
        Matcher m = Pattern.compile("data-tile=\"" + key + "\"><dt>[^<]*</dt><dd>([^<]*)</dd>").matcher(html);
        assertTrue(m.find(), "no tile " + key);
        return m.group(1);
    }

    @Test
    void aWorkspaceWithoutReadersShowsEmptyStatesThatSayWhatToDo() {
        Api owner = Api.newUser("dash-empty");
        String slug = owner.createWorkspace("dash-empty");
        String html = dashboard(owner, slug, "en");
        assertTrue(html.contains("id=\"history-empty\""), html);
        assertTrue(html.contains("No readers yet"), html);
        assertTrue(html.contains("id=\"funnel-empty\""), html);
        assertTrue(html.contains("Create your first list"), html);
        assertFalse(html.contains("<figure class=\"chart\""), html);
        assertEquals("0", tile(html, "confirmed"));
        assertEquals("–", tile(html, "conversion"));
        String de = dashboard(owner, slug, "de");
        assertTrue(de.contains("Noch keine Leser"), de);
        assertTrue(de.contains("Noch keine Besuche der Anmeldeseiten"), de);
    }

    @Test
    void readersPerStateAreDrawnFromTheLedgerWithTheFiguresInWords() {
        Workspace w = fx.workspace("dash-hist");
        List<UUID> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(fx.confirmed(w, DispatchFixture.number()));
        }
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        LocalDate confirmedOn = LocalDate.ofInstant(clock.instant(), berlin);
        clock.advance(Duration.ofDays(5));
        try {
            DateTimeFormatter en = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(Locale.ENGLISH);
            LocalDate today = LocalDate.ofInstant(clock.instant(), berlin);
            assertTrue(byId(dashboard(w.owner(), w.slug(), "en"), "desc", "chart-readers-desc")
                    .startsWith("On " + en.format(today) + ": Confirmed 4."));
            // A new ledger event shows at the next view (the history is cached until the ledger changes).
            fx.event(w, readers.get(0), ConsentEventType.WITHDRAWN, false);
            String html = dashboard(w.owner(), w.slug(), "en");
            String desc = byId(html, "desc", "chart-readers-desc");
            assertEquals("On " + en.format(today) + ": Confirmed 3, Withdrawn 1. On " + en.format(today.minusDays(89))
                    + ": no readers.", desc);
            assertTrue(html.contains("<figure class=\"chart\" id=\"chart-readers\">"), html);
            assertTrue(html.contains("role=\"img\""), html);
            // The table behind the chart: four confirmed on the day they confirmed, none withdrawn yet.
            String row = "<tr><th scope=\"row\">" + en.format(confirmedOn) + "</th><td>4</td><td>0</td><td>0</td><td>0</td>";
            assertTrue(html.contains(row), row + " in " + html);
            assertEquals("3", tile(html, "confirmed"));

            String de = dashboard(w.owner(), w.slug(), "de");
            assertTrue(byId(de, "desc", "chart-readers-desc").contains(": Bestätigt 3, Widerrufen 1."), de);
        } finally {
            clock.reset();
        }
    }

    @Test
    void landingPageViewsAreCountedPerListAndMakeTheFunnel() {
        Workspace w = fx.workspace("dash-funnel");
        java.util.Map<String, Object> evening = Fixtures.germanList("abend", "ABEND");
        evening.put("name", "Abendausgabe");
        w.owner().req().body(evening).post("/api/tenants/" + w.slug() + "/lists")
                .then().statusCode(201);
        pageViews.flush();
        for (int i = 0; i < 3; i++) {
            given().accept("text/html").get("/p/" + w.slug() + "/morgen").then().statusCode(200);
        }
        given().accept("text/html").get("/p/" + w.slug() + "/abend").then().statusCode(200);
        // Unknown lists count nothing and answer 404.
        given().accept("text/html").get("/p/" + w.slug() + "/nope").then().statusCode(404);
        pageViews.flush();

        String html = dashboard(w.owner(), w.slug(), "en");
        String desc = byId(html, "desc", "chart-funnel-desc");
        assertTrue(desc.contains("Morgenbriefing: 3 page views, 0 requested, 0 confirmed, conversion 0%."), desc);
        assertTrue(desc.contains("Abendausgabe: 1 page views, 0 requested, 0 confirmed, conversion 0%."), desc);
        assertEquals("4", tile(html, "views"));

        // A second flush adds nothing; more views add up.
        given().accept("text/html").get("/p/" + w.slug() + "/abend").then().statusCode(200);
        assertTrue(pageViews.flush() >= 1);
        assertEquals("5", tile(dashboard(w.owner(), w.slug(), "en"), "views"));
        String de = dashboard(w.owner(), w.slug(), "de");
        assertTrue(byId(de, "desc", "chart-funnel-desc").contains("Morgenbriefing: 3 Seitenaufrufe, 0 angefragt"), de);
    }
}
