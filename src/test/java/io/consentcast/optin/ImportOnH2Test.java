package io.consentcast.optin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** The embedded default (H2, dev mode) imports too: the job table, the claim and the bulk ledger writes run on H2. */
@QuarkusTest
@TestProfile(ImportOnH2Test.EmbeddedDefaults.class)
class ImportOnH2Test {

    /** The embedded default's database, as in {@code web.DevProfileBootTest}. */
    public static class EmbeddedDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = "jdbc:h2:mem:importh2;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
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
    void aFileIsImportedInTheBackgroundOnH2() {
        Api owner = Api.newUser("importh2");
        String slug = owner.createWorkspace("importh2");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        JsonPath job = Imports.importAndWait(owner, slug, "morgen",
                "\uFEFFphone;source\n0151 00009001;Formular\n0151 00009002;\nkaputt;\n");
        assertEquals("DONE", job.getString("state"));
        assertEquals(2, job.getInt("imported"));
        assertEquals("invalid phone number", job.getString("rejected.find { it.row == 4 }.reason"));
        JsonPath again = Imports.importAndWait(owner, slug, "morgen", "phone\n0151 00009001\n");
        assertEquals("already imported", again.getString("rejected[0].reason"));
    }
}
