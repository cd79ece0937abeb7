package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The embedded default (no CONSENTCAST_DB_URL, as dev mode on a fresh machine): the application starts its own
 * PostgreSQL, runs the production migrations as the owner, connects as the application role with row-level
 * security in force, and serves the product. Runs on the embedded server even where the other tests are given
 * CONSENTCAST_DB_URL.
 */
@QuarkusTest
@TestProfile(DevProfileBootTest.EmbeddedDefaults.class)
class DevProfileBootTest {

    public static class EmbeddedDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("CONSENTCAST_DB_URL", "",
                    // As %dev sets it for the dev login, whose tokens carry no email_verified claim.
                    "consentcast.identity.email-verified-without-claim", "true");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theHomePageIsServedAndWorkspacesCanBeCreated() {
        given().get("/").then().statusCode(200).body(containsString("Start free"));
        Api api = Api.newUser("embedded");
        String slug = api.createWorkspace("embedded");
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

    @Test
    void theDatabaseIsTheEmbeddedPostgresqlAndRowLevelSecurityApplies() throws SQLException {
        String url = ConfigProvider.getConfig().getConfigValue("quarkus.datasource.jdbc.url").getValue();
        String source = ConfigProvider.getConfig().getConfigValue("quarkus.datasource.jdbc.url").getSourceName();
        assertTrue(source.contains("embedded PostgreSQL") && url.startsWith("jdbc:postgresql://127.0.0.1:"),
                url + " from " + source);

        Api api = Api.newUser("embedded-rls");
        api.createWorkspace("embedded-rls");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_user, r.rolsuper, r.rolbypassrls, "
                    + "current_setting('server_version_num')::int, "
                    + "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'consentcast_owner') "
                    + "FROM pg_roles r WHERE r.rolname = current_user")) {
                rs.next();
                assertEquals("consentcast_app", rs.getString(1));
                assertEquals(false, rs.getBoolean(2), "not a superuser");
                assertEquals(false, rs.getBoolean(3), "does not bypass row-level security");
                assertEquals(17, rs.getInt(4) / 10000, "PostgreSQL 17");
                assertTrue(rs.getInt(5) > 10, "the production migrations created the tables as the owner");
            }
            // A workspace exists and has a membership, but without a workspace set on the transaction the
            // policies show none of it.
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM memberships")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }
}
