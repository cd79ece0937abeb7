package io.consentcast.dispatch;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The embedded default (H2): an issue is materialised, claimed and sent with the same SQL as on PostgreSQL. */
@QuarkusTest
@TestProfile(DispatchOnH2Test.Embedded.class)
class DispatchOnH2Test {

    /** The embedded default's database settings (as DevProfileBootTest), on an in-memory H2. */
    public static class Embedded implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            String url = "jdbc:h2:mem:dispatchh2;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
            return java.util.Map.ofEntries(
                    java.util.Map.entry("quarkus.datasource.db-kind", "h2"),
                    java.util.Map.entry("quarkus.datasource.jdbc.url", url),
                    java.util.Map.entry("quarkus.datasource.username", "sa"),
                    java.util.Map.entry("quarkus.datasource.password", ""),
                    java.util.Map.entry("quarkus.datasource.migration.db-kind", "h2"),
                    java.util.Map.entry("quarkus.datasource.migration.jdbc.url", url),
                    java.util.Map.entry("quarkus.datasource.migration.username", "sa"),
                    java.util.Map.entry("quarkus.datasource.migration.password", ""),
                    java.util.Map.entry("quarkus.flyway.migration.locations", "db/migration/common"),
                    java.util.Map.entry("quarkus.flyway.migration.clean-at-start", "false"));
        }
    }

    @Inject
    DispatchFixture fx;

    @Test
    void anIssueGoesOutToItsConfirmedReadersOnH2() {
        Workspace w = fx.workspace("h2-dispatch");
        fx.confirmed(w, DispatchFixture.number());
        fx.confirmed(w, DispatchFixture.number());
        String id = fx.draft(w, "H2");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200).body("status", equalTo("SENDING"));
        try (Dispatcher d = fx.dispatcher("h2", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        w.owner().req().get(w.issues() + "/" + id).then().body("counts.sent", equalTo(2));
    }
}
