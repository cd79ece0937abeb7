package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The embedded default (H2, no PostgreSQL) runs the migrations and serves the product. */
@QuarkusTest
@TestProfile(DevProfileBootTest.EmbeddedDefaults.class)
class DevProfileBootTest {

    public static class EmbeddedDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "jdbc:h2:mem:devboot;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.db-kind", "h2"),
                    Map.entry("quarkus.datasource.jdbc.url", url),
                    Map.entry("quarkus.datasource.username", "sa"),
                    Map.entry("quarkus.datasource.password", ""),
                    Map.entry("quarkus.datasource.migration.db-kind", "h2"),
                    Map.entry("quarkus.datasource.migration.jdbc.url", url),
                    Map.entry("quarkus.datasource.migration.username", "sa"),
                    Map.entry("quarkus.datasource.migration.password", ""),
                    Map.entry("quarkus.flyway.migration.locations", "db/migration/common"),
                    Map.entry("quarkus.flyway.migration.clean-at-start", "false"),
                    // As %dev sets it for the dev login, whose tokens carry no email_verified claim.
                    Map.entry("consentcast.identity.email-verified-without-claim", "true"));
        }
    }

    @Test
    void theHomePageIsServedAndWorkspacesCanBeCreated() {
        given().get("/").then().statusCode(200).body(containsString("Start free"));
        Api api = Api.newUser("h2");
        String slug = api.createWorkspace("h2");
        api.req().get("/api/tenants/" + slug + "/members").then().statusCode(200)
                .body(containsString(api.email()));
    }

    /**
     * The README's tour: alice invites bob, bob logs in with the dev login (a token without email_verified) and
     * accepts. In dev mode that counts as verified; production ignores the setting (Caller.emailVerified).
     */
    @Test
    void theDevLoginsTokensWithoutTheVerifiedClaimAcceptInvitations() {
        Api alice = Api.newUser("alice");
        String slug = alice.createWorkspace("tour");
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        String email = "bob-" + id + "@example.com";
        String link = alice.req().body(Map.of("email", email, "role", "EDITOR"))
                .post("/api/tenants/" + slug + "/invitations").then().statusCode(201).extract().path("link");
        given().auth().oauth2(Tokens.withEmailVerified("sub-bob-" + id, email, null))
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("token", link.substring(link.lastIndexOf('/') + 1)))
                .post("/api/tenants/" + slug + "/invitations/accept").then().statusCode(200)
                .body("role", org.hamcrest.Matchers.equalTo("EDITOR"));
    }
}
