package io.consentcast.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Tokens;
import io.consentcast.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TeamTest {

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String invite(Api admin, String slug, String email, String role) {
        String link = admin.req().body(Map.of("email", email, "role", role))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(201)
                .body("email", equalTo(email)).body("role", equalTo(role))
                .body("link", startsWith("http://localhost:8080/join/" + slug + "/"))
                .extract().path("link");
        return link.substring(link.lastIndexOf('/') + 1);
    }

    @Test
    void anInvitationIsSingleUseAndMakesAMember() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("team");
        Api ed = Api.newUser("ed");
        String token = invite(owner, slug, ed.email(), "EDITOR");

        ed.req().body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(200).body("role", equalTo("EDITOR"));
        ed.req().get("/api/tenants").then().body("find { it.slug == '" + slug + "' }.role", equalTo("EDITOR"));
        owner.req().get("/api/tenants/" + slug + "/members").then().statusCode(200)
                .body("email", hasItem(ed.email()));

        ed.req().body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(410).body("detail", equalTo("This invitation has already been used."));
    }

    /** The team page answers under /t/{tenant}/team, next to the other pages under /t/{tenant}. */
    @Test
    void theTeamPageListsMembersAndOpenInvitations() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("page");
        Api ed = Api.newUser("ed");
        invite(owner, slug, ed.email(), "EDITOR");
        owner.req().accept("text/html").header("Accept-Language", "en").get("/t/" + slug + "/team").then()
                .statusCode(200).body(containsString("Members")).body(containsString(owner.email()))
                .body(containsString(ed.email()));
    }

    @Test
    void anInvitationExpiresAfterSevenDays() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("expiry");
        Api late = Api.newUser("late");
        String token = invite(owner, slug, late.email(), "VIEWER");
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        late.req().body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(410).body("detail", equalTo("This invitation has expired. Ask for a new one."));
        late.req().get("/api/tenants").then().body("slug", not(hasItem(slug)));
    }

    @Test
    void anInvitationOnlyWorksForTheInvitedAddress() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("wrong");
        Api invited = Api.newUser("invited");
        Api intruder = Api.newUser("intruder");
        String token = invite(owner, slug, invited.email(), "ADMIN");
        intruder.req().body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(403);
        intruder.req().get("/api/tenants").then().body("slug", not(hasItem(slug)));
        intruder.req().body(Map.of("token", "forged-token")).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(404);
        // The intended invitee can still use it.
        invited.req().body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept")
                .then().statusCode(200);
    }

    /**
     * Anyone can register at the identity provider with any address; only the provider's verification proves the
     * address is theirs. An unverified (or unclaimed) address cannot accept the invitation, in the API and on the
     * invitation page, and is told what to do; once verified, the same person joins.
     */
    @Test
    void anInvitationNeedsAVerifiedAddress() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("verified");
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        String email = "newcomer-" + id + "@example.org";
        String token = invite(owner, slug, email, "ADMIN");
        String unverified = Tokens.withEmailVerified("sub-newcomer-" + id, email, false);
        String unclaimed = Tokens.withEmailVerified("sub-newcomer-" + id, email, null);
        for (String bearer : java.util.List.of(unverified, unclaimed)) {
            given().auth().oauth2(bearer).contentType(ContentType.JSON).body(Map.of("token", token))
                    .post("/api/tenants/" + slug + "/invitations/accept").then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", startsWith("Your e-mail address is not verified yet."));
        }
        given().auth().oauth2(unverified).header("Accept-Language", "de").get("/join/" + slug + "/" + token).then()
                .statusCode(403).body(containsString("Ihre E-Mail-Adresse ist noch nicht bestätigt."));
        given().auth().oauth2(unverified).header("Accept-Language", "en").get("/join/" + slug + "/" + token).then()
                .statusCode(403).body(containsString("Verify it with your login provider first"));
        given().auth().oauth2(unverified).get("/api/tenants").then().statusCode(200).body("slug", not(hasItem(slug)));
        owner.req().get("/api/tenants/" + slug + "/invitations").then().body("email", hasItem(email));

        given().auth().oauth2(Tokens.of("sub-newcomer-" + id, email)).contentType(ContentType.JSON)
                .body(Map.of("token", token)).post("/api/tenants/" + slug + "/invitations/accept").then()
                .statusCode(200).body("role", equalTo("ADMIN"));
    }

    @Test
    void theLastOwnerCannotBeDemotedOrRemoved() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("last");
        String ownerId = owner.req().get("/api/tenants/" + slug + "/members").then().extract().path("[0].id");
        owner.req().body(Map.of("role", "ADMIN")).put("/api/tenants/" + slug + "/members/" + ownerId)
                .then().statusCode(409).body("errors.role", equalTo(
                        "The workspace needs at least one owner. Make someone else an owner first."));
        owner.req().delete("/api/tenants/" + slug + "/members/" + ownerId).then().statusCode(409);

        Api second = Api.newUser("second");
        owner.addMember(slug, second, "OWNER");
        owner.req().body(Map.of("role", "ADMIN")).put("/api/tenants/" + slug + "/members/" + ownerId)
                .then().statusCode(200).body("role", equalTo("ADMIN"));
        owner.req().get("/api/tenants").then().body("find { it.slug == '" + slug + "' }.role", equalTo("ADMIN"));
    }

    @Test
    void rolesAreEnforced() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("roles");
        Api viewer = Api.newUser("viewer");
        Api admin = Api.newUser("admin");
        owner.addMember(slug, viewer, "VIEWER");
        owner.addMember(slug, admin, "ADMIN");
        String ownerId = owner.req().get("/api/tenants/" + slug + "/members")
                .then().extract().path("find { it.role == 'OWNER' }.id");
        String viewerId = owner.req().get("/api/tenants/" + slug + "/members")
                .then().extract().path("find { it.role == 'VIEWER' }.id");

        // A viewer reads the team but may not change it.
        viewer.req().get("/api/tenants/" + slug + "/members").then().statusCode(200);
        viewer.req().body(Map.of("email", "x@example.org", "role", "VIEWER"))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(403)
                .contentType("application/problem+json");
        viewer.req().body(Map.of("role", "OWNER")).put("/api/tenants/" + slug + "/members/" + viewerId)
                .then().statusCode(403);
        // An admin manages editors and viewers but not owners.
        admin.req().body(Map.of("role", "EDITOR")).put("/api/tenants/" + slug + "/members/" + viewerId)
                .then().statusCode(200).body("role", equalTo("EDITOR"));
        admin.req().body(Map.of("role", "VIEWER")).put("/api/tenants/" + slug + "/members/" + ownerId)
                .then().statusCode(403);
        admin.req().body(Map.of("email", "boss@example.org", "role", "OWNER"))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(403);
        admin.req().delete("/api/tenants/" + slug + "/members/" + viewerId).then().statusCode(204);
        viewer.req().get("/api/tenants/" + slug + "/members").then().statusCode(404);
    }

    @Test
    void badInvitationsAreRefusedWithReasons() {
        Api owner = Api.newUser("owner");
        String slug = owner.createWorkspace("badinv");
        owner.req().body(Map.of("email", "not-an-address", "role", "KING"))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(400)
                .body("errors.email", equalTo("Enter a valid e-mail address."))
                .body("errors.role", equalTo("Choose one of OWNER, ADMIN, EDITOR, VIEWER."));
        owner.req().body(Map.of("email", owner.email(), "role", "EDITOR"))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(409);
    }
}
