package io.consentcast.lists;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ListApiTest {

    @Test
    void anAdminCreatesAListWithAVersionedConsentText() {
        Api owner = Api.newUser("lists");
        String slug = owner.createWorkspace("lists");
        owner.req().body(Fixtures.germanList("morgen", "morgen")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201)
                .body("slug", equalTo("morgen")).body("keyword", equalTo("MORGEN")).body("status", equalTo("OPEN"))
                .body("purpose", equalTo("MARKETING")).body("consentTextVersion", equalTo(1));
        owner.req().get("/api/tenants/" + slug + "/lists").then().statusCode(200).body("slug", hasItem("morgen"));

        // A new wording is a new version; the same wording again changes nothing.
        owner.req().body(Map.of("consentText", "Ja, ich möchte das Morgenbriefing erhalten (neu).")).put(
                "/api/tenants/" + slug + "/lists/morgen")
                .then().statusCode(200).body("consentTextVersion", equalTo(2));
        owner.req().body(Map.of("consentText", "Ja, ich möchte das Morgenbriefing erhalten (neu).")).put(
                "/api/tenants/" + slug + "/lists/morgen")
                .then().statusCode(200).body("consentTextVersion", equalTo(2));
        owner.req().body(Map.of("status", "CLOSED")).put("/api/tenants/" + slug + "/lists/morgen")
                .then().statusCode(200).body("status", equalTo("CLOSED"));
        owner.req().get("/api/tenants/" + slug + "/lists/morgen").then().statusCode(200)
                .body("consentText", equalTo("Ja, ich möchte das Morgenbriefing erhalten (neu)."));
    }

    @Test
    void badListsAreRefusedPerField() {
        Api owner = Api.newUser("badlists");
        String slug = owner.createWorkspace("badlists");
        Map<String, Object> bad = Fixtures.germanList("Bad Slug", "STOP");
        bad.remove("imprintUrl");
        bad.put("privacyUrl", "javascript:alert(1)");
        bad.put("consentText", " ");
        owner.req().body(bad).post("/api/tenants/" + slug + "/lists").then().statusCode(400)
                .body("errors", hasKey("slug"))
                .body("errors.keyword", equalTo("This word is reserved for STOP, START and confirmations. Choose another keyword."))
                .body("errors.imprintUrl", equalTo("German pages need a link to your imprint (Impressum)."))
                .body("errors.privacyUrl", equalTo("Enter a full web address starting with https://."))
                .body("errors.consentText", equalTo("Enter the consent text readers agree to."));
        owner.req().get("/api/tenants/" + slug + "/lists").then().body("size()", equalTo(0));

        owner.req().body(Fixtures.germanList("news", "NEWS")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        owner.req().body(Fixtures.germanList("news", "OTHER")).post("/api/tenants/" + slug + "/lists").then().statusCode(409)
                .body("errors.slug", equalTo("This workspace already has a list with this address."));
        owner.req().body(Fixtures.germanList("other", "news")).post("/api/tenants/" + slug + "/lists").then().statusCode(409)
                .body("errors.keyword", equalTo("Another list of this workspace already uses this keyword."));
        owner.req().get("/api/tenants/" + slug + "/lists/nope").then().statusCode(404);
    }

    @Test
    void editorsAndViewersCannotManageLists() {
        Api owner = Api.newUser("listroles");
        String slug = owner.createWorkspace("listroles");
        Api editor = Api.newUser("listeditor");
        owner.addMember(slug, editor, "EDITOR");
        editor.req().body(Fixtures.germanList("x1", "X1")).post("/api/tenants/" + slug + "/lists").then().statusCode(403);
        owner.req().body(Fixtures.germanList("x1", "X1")).post("/api/tenants/" + slug + "/lists").then().statusCode(201);
        editor.req().get("/api/tenants/" + slug + "/lists/x1").then().statusCode(200);
        editor.req().body(Map.of("name", "Renamed")).put("/api/tenants/" + slug + "/lists/x1").then().statusCode(403);
    }
}
