package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
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
                    Map.entry("quarkus.flyway.migration.clean-at-start", "false"));
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
}
