package io.consentcast.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class WorkspaceApiTest {

    /** The workspace resource answers every member with the workspace and their own role; outsiders get 404. */
    @Test
    void everyMemberReadsTheWorkspaceWithTheirRole() {
        Api owner = Api.newUser("wsowner");
        String slug = owner.createWorkspace("readable");
        Map<String, Api> members = Map.of("ADMIN", Api.newUser("wsadmin"), "EDITOR", Api.newUser("wseditor"),
                "VIEWER", Api.newUser("wsviewer"));
        members.forEach((role, member) -> owner.addMember(slug, member, role));
        owner.req().get("/api/tenants/" + slug).then().statusCode(200)
                .body("slug", equalTo(slug)).body("name", equalTo("Publication " + slug))
                .body("locale", equalTo("de")).body("timezone", equalTo("Europe/Berlin")).body("role", equalTo("OWNER"));
        members.forEach((role, member) -> member.req().get("/api/tenants/" + slug).then().statusCode(200)
                .body("slug", equalTo(slug)).body("role", equalTo(role)));
        Api stranger = Api.newUser("wsstranger");
        stranger.req().get("/api/tenants/" + slug).then().statusCode(404)
                .body("detail", equalTo("There is no such workspace, or you are not a member of it."));
        given().accept(ContentType.JSON).get("/api/tenants/" + slug).then().statusCode(401);
    }

    @Test
    void signUpThroughTheApiMakesTheCreatorOwner() {
        Api alice = Api.newUser("alice");
        String slug = "morning-" + alice.subject().substring(alice.subject().length() - 8);
        alice.req().body(Map.of("slug", slug, "name", "Morgenpost", "locale", "de", "timezone", "Europe/Berlin"))
                .post("/api/tenants")
                .then().statusCode(201)
                .header("Location", containsString("/api/tenants/" + slug))
                .body("slug", equalTo(slug)).body("name", equalTo("Morgenpost")).body("locale", equalTo("de"))
                .body("timezone", equalTo("Europe/Berlin")).body("role", equalTo("OWNER"));

        alice.req().get("/api/tenants").then().statusCode(200)
                .body("slug", hasItem(slug)).body("find { it.slug == '" + slug + "' }.role", equalTo("OWNER"));
        alice.req().get("/api/me").then().statusCode(200)
                .body("subject", equalTo(alice.subject())).body("email", equalTo(alice.email()))
                .body("tenants.slug", hasItem(slug));
    }

    @Test
    void aUserMayBelongToSeveralWorkspaces() {
        Api bob = Api.newUser("bob");
        String one = bob.createWorkspace("one");
        String two = bob.createWorkspace("two");
        bob.req().get("/api/tenants").then().body("slug", hasItem(one)).body("slug", hasItem(two));
    }

    @Test
    void slugRulesAreEnforcedWithAMessagePerField() {
        Api carol = Api.newUser("carol");
        for (String bad : new String[] { "ab", "Upper-Case", "-leading", "trailing-", "with space", "ümlaut",
                "a".repeat(41), "admin", "api", "webhooks" }) {
            carol.req().body(Map.of("slug", bad, "name", "X", "locale", "de", "timezone", "Europe/Berlin"))
                    .post("/api/tenants")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400)).body("errors", hasKey("slug"));
        }
        carol.req().body(Map.of("slug", "fine-slug-x", "name", "", "locale", "fr", "timezone", "Mars/Olympus"))
                .post("/api/tenants")
                .then().statusCode(400)
                .body("errors.name", equalTo("Enter the name of your publication."))
                .body("errors.locale", equalTo("Choose German (de) or English (en)."))
                .body("errors.timezone", containsString("Europe/Berlin"))
                .body("errors", not(hasKey("slug")));
        carol.req().get("/api/tenants").then().body("slug", not(hasItem("fine-slug-x")));
    }

    @Test
    void aTakenSlugIsAConflict() {
        Api dave = Api.newUser("dave");
        String slug = dave.createWorkspace("taken");
        Api erin = Api.newUser("erin");
        erin.req().body(Map.of("slug", slug, "name", "Other", "locale", "en", "timezone", "UTC"))
                .post("/api/tenants")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("This address is already taken.")).body("errors.slug", equalTo("This address is already taken."));
        erin.req().get("/api/tenants").then().body("slug", not(hasItem(slug)));
    }

    @Test
    void theApiWantsABearerTokenAndAJsonBody() {
        given().redirects().follow(false).accept(ContentType.JSON).get("/api/tenants").then().statusCode(401);
        Api frank = Api.newUser("frank");
        frank.req().post("/api/tenants").then().statusCode(400).contentType("application/problem+json");
    }
}
