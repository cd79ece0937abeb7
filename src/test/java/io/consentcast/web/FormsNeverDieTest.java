package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A form stays valid for the whole browser session: a second tab, the back button or a download on the same
 * page never expire it, and a form that did expire is answered with a page that keeps the entries and sends
 * them again with a fresh token.
 */
@QuarkusTest
class FormsNeverDieTest {

    @Test
    void twoTabsOfTheSameSessionBothPost() {
        Api owner = Api.newUser("tabs");
        String slug = owner.createWorkspace("tabs");
        Response tab1 = page(owner, null).get("/t/" + slug + "/lists/new");
        String cookie = tab1.getCookie("csrf-token");
        assertNotNull(cookie, "the first page starts the session's form cookie");
        Response tab2 = page(owner, cookie).get("/t/" + slug + "/lists/new");
        assertNull(tab2.getCookie("csrf-token"), "a second page view keeps the session's cookie");
        Response back = page(owner, cookie).get("/t/" + slug + "/lists");

        createList(owner, cookie, Forms.csrfToken(tab2.asString()), slug, "zweiter").then().statusCode(303);
        // The first tab, opened before the second one: still valid.
        createList(owner, cookie, Forms.csrfToken(tab1.asString()), slug, "erster").then().statusCode(303);
        assertNull(back.getCookie("csrf-token"));
        String lists = owner.req().get("/api/tenants/" + slug + "/lists").asString();
        assertTrue(lists.contains("erster") && lists.contains("zweiter"), lists);
    }

    @Test
    void aDownloadOnThePageDoesNotExpireItsForms() {
        PageFormGuardTest.Workspace w = PageFormGuardTest.workspace();
        String path = "/t/" + w.slug() + "/subscribers/" + w.subscriber();
        Response record = page(w.owner(), null).get(path);
        record.then().statusCode(200);
        String cookie = record.getCookie("csrf-token");
        Response download = page(w.owner(), cookie).accept("*/*").get(path + "/export");
        download.then().statusCode(200);
        assertNull(download.getCookie("csrf-token"), "the download replaced the form's cookie");

        page(w.owner(), cookie).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", eraseToken(record.asString())).post(path + "/erase").then().statusCode(303);
        assertTrue(w.owner().req().get("/api/tenants/" + w.slug() + "/subscribers/" + w.subscriber()).asString()
                .contains("\"erasedAt\":\""), "the subscriber was erased");
    }

    @Test
    void anExpiredFormKeepsItsEntriesAndSendsThemAgain() {
        Api owner = Api.newUser("stale");
        String slug = owner.createWorkspace("stale");
        String cookie = page(owner, null).get("/t/" + slug + "/lists/new").getCookie("csrf-token");
        for (String lang : new String[] {"en", "de"}) {
            String name = "abend" + lang;
            Response refused = page(owner, cookie).header("Accept-Language", lang)
                    .header("Origin", "http://localhost:" + RestAssured.port)
                    .contentType("application/x-www-form-urlencoded").formParams(listForm(name, "stale-token")).post("/t/" + slug + "/lists/new");
            assertEquals(403, refused.statusCode());
            String html = refused.asString();
            assertTrue(html.contains(lang.equals("de") ? "Dieses Formular ist abgelaufen" : "This form has expired"), html);
            assertTrue(html.contains(lang.equals("de") ? "Noch einmal senden" : "Send again"), html);
            Map<String, String> resend = Forms.resendFields(html);
            assertEquals("Abend \"" + name + "\" & <mehr>", resend.get("name"), "the entries are kept");
            assertEquals("Liebe Leser,\nja bitte.", resend.get("consentText").replace("\r\n", "\n"));
            assertFalse(resend.get("csrf-token").equals("stale-token"));
            assertEquals(listCount(owner, slug, name), 0, "nothing was stored");

            page(owner, cookie).contentType("application/x-www-form-urlencoded").formParams(resend)
                    .post("/t/" + slug + "/lists/new").then().statusCode(303);
            assertEquals(1, listCount(owner, slug, name));
        }
    }

    /** The session's cookie is gone (a new browser session): the page sets a new one and the entries go through. */
    @Test
    void aLostCookieIsReplacedByTheExplanationPage() {
        Api owner = Api.newUser("nocookie");
        String slug = owner.createWorkspace("nocookie");
        String token = Forms.csrfToken(page(owner, null).get("/t/" + slug + "/lists/new").asString());
        Response refused = page(owner, null).header("Referer", "http://localhost:" + RestAssured.port + "/t/" + slug + "/lists/new")
                .contentType("application/x-www-form-urlencoded").formParams(listForm("nacht", token)).post("/t/" + slug + "/lists/new");
        assertEquals(403, refused.statusCode());
        String fresh = refused.getCookie("csrf-token");
        assertNotNull(fresh, "the explanation page starts a new session cookie");
        page(owner, fresh).contentType("application/x-www-form-urlencoded").formParams(Forms.resendFields(refused.asString()))
                .post("/t/" + slug + "/lists/new").then().statusCode(303);
        assertEquals(1, listCount(owner, slug, "nacht"));
    }

    /** A post forged by another site is explained, but never offered for sending again. */
    @Test
    void aForgedPostFromAnotherSiteIsNotOfferedForResending() {
        Api owner = Api.newUser("forged");
        String slug = owner.createWorkspace("forged");
        String cookie = page(owner, null).get("/t/" + slug + "/lists/new").getCookie("csrf-token");
        for (var site : Map.of("Origin", "https://evil.example", "Referer", "https://evil.example/x").entrySet()) {
            Response refused = page(owner, cookie).header(site.getKey(), site.getValue())
                    .contentType("application/x-www-form-urlencoded").formParams(listForm("evil", "forged")).post("/t/" + slug + "/lists/new");
            assertEquals(403, refused.statusCode());
            assertTrue(refused.asString().contains("This form has expired"), refused.asString());
            assertFalse(refused.asString().contains("id=\"resend\""), refused.asString());
        }
        Response crossSite = page(owner, cookie).header("Origin", "http://localhost:" + RestAssured.port).header("Sec-Fetch-Site", "cross-site")
                .contentType("application/x-www-form-urlencoded").formParams(listForm("evil", "forged")).post("/t/" + slug + "/lists/new");
        assertFalse(crossSite.asString().contains("id=\"resend\""), crossSite.asString());
        assertEquals(0, listCount(owner, slug, "evil"));
    }

    private static Map<String, String> listForm(String slug, String token) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf-token", token);
        form.put("name", "Abend \"" + slug + "\" & <mehr>");
        form.put("slug", slug);
        form.put("description", "");
        form.put("language", "de");
        form.put("purpose", "MARKETING");
        form.put("keyword", slug.toUpperCase().replaceAll("[^A-Z]", ""));
        form.put("consentText", "Liebe Leser,\nja bitte.");
        form.put("imprintUrl", "https://example.org/impressum");
        form.put("privacyUrl", "https://example.org/datenschutz");
        return form;
    }

    private static Response createList(Api owner, String cookie, String token, String slug, String list) {
        return page(owner, cookie).contentType("application/x-www-form-urlencoded").formParams(listForm(list, token))
                .post("/t/" + slug + "/lists/new");
    }

    private static int listCount(Api owner, String slug, String list) {
        String lists = owner.req().get("/api/tenants/" + slug + "/lists").asString();
        return lists.contains("\"slug\":\"" + list + "\"") ? 1 : 0;
    }

    private static RequestSpecification page(Api owner, String cookie) {
        RequestSpecification req = given().redirects().follow(false).accept("text/html").auth().oauth2(owner.token());
        return cookie == null ? req : req.cookie("csrf-token", cookie);
    }

    private static String eraseToken(String html) {
        int erase = html.indexOf("/erase\"");
        return Forms.csrfToken(html.substring(erase));
    }
}
