package io.consentcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.Response;

/**
 * The workspace {@link PageLanguagesTest} renders: German, with data on every page (sample readers in every state,
 * a sent issue, a draft with an English template, an import with rejected rows, a viewer, an invitation), and a
 * British workspace with an English list for the English public pages; made once, through the API and the pages.
 */
final class PageLanguagesWorld {

    /** A page to render: its route, a URL of it, who opens it (null: nobody logged in) and the language. */
    record Page(String route, String url, Api as, String lang) {
    }

    private PageLanguagesWorld() {
    }


    /** A German sandbox workspace with data on every page, its viewer and invitee, and a British workspace. */
    static final class World {
        Api owner;
        Api viewer;
        Api invitee;
        String slug;
        String britishSlug;
        String subscriber;
        String sentIssue;
        String englishDraft;
        String importJob;
        String invitationToken;
        final Map<String, Function<String, List<Page>>> urls = new LinkedHashMap<>();
    }

    private static World world;

    /** The world, made on first use; {@code dispatch} runs the dispatch engine once (it is off in tests). */
    static synchronized World world(Runnable dispatch) {
        if (world != null) {
            return world;
        }
        World w = new World();
        w.owner = Api.newUser("lang");
        w.slug = w.owner.createWorkspace("lang");
        String api = "/api/tenants/" + w.slug;
        w.owner.req().body(Map.of("sendingHoursStart", "00:00", "sendingHoursEnd", "00:00"))
                .put(api + "/dispatch-settings").then().statusCode(200);

        // Sample data through the dashboard's button: a German list with readers in every state.
        Response dashboard = w.owner.req().accept("text/html").get("/t/" + w.slug);
        w.owner.req().accept("text/html").redirects().follow(false).cookies(dashboard.getCookies())
                .config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 300_000))) // 36 readers through the real paths, on a busy machine
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", Forms.csrfToken(dashboard.asString()))
                .post("/t/" + w.slug + "/sample-data").then().statusCode(303);
        w.owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post(api + "/lists").then().statusCode(201);
        w.subscriber = w.owner.req().get(api + "/subscribers").then().statusCode(200).extract().path("items[0].id");

        // A sent issue (deliveries sent and excluded) and a draft with an English template to the German list.
        w.sentIssue = w.owner.req().body(Map.of("list", "sample-news", "title", "Dienstag", "template",
                Map.of("name", "newsletter_issue", "language", "de", "parameters", List.of("Dienstag"))))
                .post(api + "/issues").then().statusCode(201).extract().path("id");
        w.owner.req().post(api + "/issues/" + w.sentIssue + "/send").then().statusCode(200);
        w.englishDraft = w.owner.req().body(Map.of("list", "sample-news", "title", "Mittwoch", "template",
                Map.of("name", "newsletter_issue", "language", "en", "parameters", List.of("Mittwoch"))))
                .post(api + "/issues").then().statusCode(201).extract().path("id");

        // An import with rejected rows.
        String location = w.owner.req().contentType("text/csv")
                .body("phone\n0151 00007001\nkeine Nummer\n0151 00007001\n".getBytes(StandardCharsets.UTF_8))
                .post(api + "/lists/sample-news/imports").then().statusCode(202).extract().header("Location");
        w.importJob = location.substring(location.lastIndexOf('/') + 1);

        // A viewer, and an invitation for someone else.
        w.viewer = Api.newUser("langviewer");
        w.owner.addMember(w.slug, w.viewer, "VIEWER");
        w.invitee = Api.newUser("langinvitee");
        String link = w.owner.req().body(Map.of("email", w.invitee.email(), "role", "EDITOR"))
                .post(api + "/invitations").then().statusCode(201).extract().path("link");
        w.invitationToken = link.substring(link.lastIndexOf('/') + 1);

        // A British workspace with an English list for the English public pages.
        w.britishSlug = "lang-gb-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        w.owner.req().body(Map.of("slug", w.britishSlug, "name", "Morning Post", "locale", "en", "timezone", "Europe/London"))
                .post("/api/tenants").then().statusCode(201);
        Map<String, Object> english = Fixtures.germanList("morning", "MORNING");
        english.put("name", "Morning Post");
        english.put("description", "The news at 6:30.");
        english.put("language", "en");
        english.put("consentText", "Yes, I want Morning Post on WhatsApp. I can stop at any time with STOP.");
        w.owner.req().body(english).post("/api/tenants/" + w.britishSlug + "/lists").then().statusCode(201);

        awaitDone(w, api, dispatch);
        assertEquals("DONE", w.owner.req().get(api + "/issues/" + w.sentIssue).then().extract().path("status"),
                "the issue was sent, so its page shows deliveries in every state");
        assertEquals("DONE", w.owner.req().get(api + "/lists/sample-news/imports/" + w.importJob).then().extract()
                .path("state"), "the import finished, so its report shows the rejected rows");
        mapUrls(w);
        world = w;
        return w;
    }

    /** The sent issue and the import finish in the background; the pages are rendered once they did. */
    private static void awaitDone(World w, String api, Runnable dispatch) {
        Instant until = Instant.now().plus(Duration.ofSeconds(240));
        while (Instant.now().isBefore(until)) {
            dispatch.run();
            String issue = w.owner.req().get(api + "/issues/" + w.sentIssue).then().extract().path("status");
            String job = w.owner.req().get(api + "/lists/sample-news/imports/" + w.importJob).then().extract().path("state");
            if ("DONE".equals(issue) && ("DONE".equals(job) || "FAILED".equals(job))) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void mapUrls(World w) {
        String t = "/t/" + w.slug;
        member(w, "/t/{tenant}", t);
        member(w, "/t/{tenant}/issues", t + "/issues");
        member(w, "/t/{tenant}/issues/archive/{list}", t + "/issues/archive/sample-news");
        member(w, "/t/{tenant}/issues/new", t + "/issues/new");
        member(w, "/t/{tenant}/issues/settings", t + "/issues/settings");
        member(w, "/t/{tenant}/issues/{id}", t + "/issues/" + w.sentIssue, t + "/issues/" + w.englishDraft);
        member(w, "/t/{tenant}/issues/{id}/edit", t + "/issues/" + w.englishDraft + "/edit");
        member(w, "/t/{tenant}/lists", t + "/lists");
        member(w, "/t/{tenant}/lists/new", t + "/lists/new");
        member(w, "/t/{tenant}/lists/{list}", t + "/lists/sample-news");
        member(w, "/t/{tenant}/lists/{list}/edit", t + "/lists/sample-news/edit");
        member(w, "/t/{tenant}/lists/{list}/import", t + "/lists/sample-news/import");
        member(w, "/t/{tenant}/lists/{list}/import/jobs/{job}", t + "/lists/sample-news/import/jobs/" + w.importJob);
        member(w, "/t/{tenant}/settings", t + "/settings");
        member(w, "/t/{tenant}/team", t + "/team");
        member(w, "/t/{tenant}/subscribers", t + "/subscribers");
        member(w, "/t/{tenant}/subscribers/{id}", t + "/subscribers/" + w.subscriber);
        member(w, "/t/{tenant}/audit", t + "/audit");
        member(w, "/t/{tenant}/activity", t + "/activity");
        member(w, "/t/{tenant}/channel", t + "/channel");
        member(w, "/t/{tenant}/channel/parked", t + "/channel/parked");
        member(w, "/t/{tenant}/channel/numbers", t + "/channel/numbers");
        member(w, "/t/{tenant}/templates", t + "/templates");
        member(w, "/t/{tenant}/sandbox", t + "/sandbox");
        member(w, "/app/new", "/app/new");
        w.urls.put("/", lang -> List.of(new Page("/", "/", null, lang), new Page("/", "/", w.owner, lang)));
        w.urls.put("/join/{tenant}/{token}", lang -> List.of(new Page("/join/{tenant}/{token}",
                "/join/" + w.slug + "/" + w.invitationToken, w.invitee, lang)));
        // Public pages speak the list's language: the German list in German, the British list in English.
        w.urls.put("/p/{tenant}/{list}", lang -> List.of(new Page("/p/{tenant}/{list}",
                "de".equals(lang) ? "/p/" + w.slug + "/sample-news" : "/p/" + w.britishSlug + "/morning", null, lang)));
        w.urls.put("/p/{tenant}/{list}/unsubscribe", lang -> List.of(new Page("/p/{tenant}/{list}/unsubscribe",
                "de".equals(lang) ? "/p/" + w.slug + "/sample-news/unsubscribe" : "/p/" + w.britishSlug + "/morning/unsubscribe",
                null, lang)));
    }

    private static void member(World w, String route, String... urls) {
        w.urls.put(route, lang -> {
            List<Page> out = new ArrayList<>();
            for (String url : urls) {
                out.add(new Page(route, url, w.owner, lang));
            }
            return out;
        });
    }
}
