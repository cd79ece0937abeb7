package io.consentcast.optin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The embeddable landing form inside another site's iframe, where the browser sends no cookie of ours (Safari,
 * Chrome without third-party cookies): it subscribes with its cookie-less signed token alone, from a page of
 * this site; a missing, forged or foreign token, or a post from another site, is refused with a page that says
 * why, and nothing is stored.
 */
@QuarkusTest
class EmbeddedFormTest {

    @Test
    void theFramedFormSubscribesWithoutAnyCookie() {
        Api owner = Api.newUser("embed");
        String slug = owner.createWorkspace("embed");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        Response framed = given().header("Sec-Fetch-Dest", "iframe").header("Referer", "http://localhost:9/blog")
                .get("/p/" + slug + "/morgen");
        framed.then().statusCode(200);
        assertTrue(framed.getCookies().isEmpty(), "the public page needs no cookie: " + framed.getCookies());
        assertEquals("*", framed.getHeader("Content-Security-Policy").replaceAll(".*frame-ancestors ", ""));

        Response confirm = post(slug, "morgen", Forms.csrfToken(framed.asString()), "0151 23456789")
                .header("Origin", "http://localhost:" + RestAssured.port).post("/p/" + slug + "/morgen");
        assertEquals(200, confirm.statusCode(), confirm.asString());
        assertTrue(confirm.asString().contains("id=\"wa-link\""), "the confirm-in-WhatsApp step: " + confirm.asString());
        assertEquals(1, subscribers(owner, slug));
    }

    @Test
    void withoutAValidTokenOrFromAnotherSiteNothingIsStored() {
        Api owner = Api.newUser("embedx");
        String slug = owner.createWorkspace("embedx");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        owner.req().body(Fixtures.germanList("abend", "ABEND")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        String token = Forms.csrfToken(given().get("/p/" + slug + "/morgen").asString());
        String otherList = Forms.csrfToken(given().get("/p/" + slug + "/abend").asString());
        String here = "http://localhost:" + RestAssured.port;
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(43);
        String later = token.replaceFirst("p\\.(\\d+)\\.", "p.9$1.");

        for (String bad : new String[] {null, "", forged, later, otherList, "p.1.%%%"}) {
            Response r = post(slug, "morgen", bad, "0151 23456788").header("Origin", here).post("/p/" + slug + "/morgen");
            assertEquals(403, r.statusCode(), bad + ": " + r.asString());
            assertTrue(r.asString().contains("This form has expired"), r.asString());
        }
        for (String[] site : new String[][] {{"Origin", "https://evil.example"}, {"Referer", "https://evil.example/x"},
                {"Origin", "null"}}) {
            RequestSpecification req = post(slug, "morgen", token, "0151 23456787").header(site[0], site[1]);
            if (site[1].equals("null")) {
                req = req.header("Referer", "https://evil.example/");
            }
            Response r = req.post("/p/" + slug + "/morgen");
            assertEquals(403, r.statusCode(), site[1]);
            assertTrue(r.asString().contains("This form was sent from another site"), r.asString());
            assertFalse(r.asString().contains("id=\"resend\""), r.asString());
        }
        Response german = post(slug, "morgen", token, "0151 23456787").header("Origin", "https://evil.example")
                .header("Accept-Language", "de").post("/p/" + slug + "/morgen");
        assertTrue(german.asString().contains("Dieses Formular wurde von einer anderen Website gesendet"), german.asString());
        assertEquals(0, subscribers(owner, slug));
    }

    /** An expired public form keeps the reader's entries: the explanation page sends them again with a fresh token. */
    @Test
    void anExpiredPublicFormSendsTheSameEntriesAgain() {
        Api owner = Api.newUser("embedold");
        String slug = owner.createWorkspace("embedold");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        String here = "http://localhost:" + RestAssured.port;
        Response refused = post(slug, "morgen", "p.1000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "0151 23456786")
                .header("Origin", here).post("/p/" + slug + "/morgen");
        assertEquals(403, refused.statusCode());
        var again = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").header("Origin", here);
        for (var field : Forms.resendFields(refused.asString()).entrySet()) {
            again = again.formParam(field.getKey(), field.getValue());
        }
        Response confirm = again.post("/p/" + slug + "/morgen");
        assertEquals(200, confirm.statusCode(), confirm.asString());
        assertTrue(confirm.asString().contains("id=\"wa-link\""), confirm.asString());
        assertEquals(1, subscribers(owner, slug));
    }

    private static RequestSpecification post(String slug, String list, String token, String phone) {
        RequestSpecification req = given().redirects().follow(false).accept("text/html").contentType("application/x-www-form-urlencoded")
                .formParam("phone", phone).formParam("country", "DE").formParam("consent", "on");
        return token == null ? req : req.formParam("csrf-token", token);
    }

    private static int subscribers(Api owner, String slug) {
        Integer total = owner.req().get("/api/tenants/" + slug + "/subscribers").then().statusCode(200).extract().path("items.size()");
        return total;
    }
}
