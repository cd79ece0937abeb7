package io.consentcast.consent;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/** What the database refuses, and what verify finds when a superuser changes the ledger anyway. */
@QuarkusTest
class LedgerTamperTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String appUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String appPassword;

    @ConfigProperty(name = "quarkus.datasource.migration.username")
    String ownerUser;

    @ConfigProperty(name = "quarkus.datasource.migration.password")
    String ownerPassword;

    record Ledger(Api owner, String slug, SubscriberView subscriber, List<EventView> events) {
    }

    private Ledger ledgerWithThreeEvents() {
        Api owner = Api.newUser("auditor");
        String slug = owner.createWorkspace("tamper");
        UUID list = UUID.randomUUID();
        SubscriberView s = fx.in(slug, () -> consent.subscriberFor("+4917612345678"));
        fx.run(slug, () -> {
            consent.append(NewEvent.of(s.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE).forList(list)
                    .withClient("198.51.100.23", false, "Mozilla/5.0"));
            consent.append(NewEvent.of(s.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(list)
                    .withWhatsApp("wamid.confirm", null));
            consent.append(NewEvent.of(s.id(), ConsentEventType.WITHDRAWN, EventSource.WHATSAPP).forList(list)
                    .withWhatsApp("wamid.stop", null));
        });
        owner.req().get("/api/tenants/" + slug + "/consent-events/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("events", equalTo(3));
        return new Ledger(owner, slug, s, fx.in(slug, () -> subscribers.events(s.publicId())));
    }

    private void asSuperuser(String sql, Object... params) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE consent_events DISABLE TRIGGER ALL");
            }
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, params[i]);
                }
                assertEquals(1, st.executeUpdate());
            }
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE consent_events ENABLE TRIGGER ALL");
            }
            c.commit();
        }
    }

    @Test
    void aRowChangedBySuperuserIsReported() throws SQLException {
        Ledger l = ledgerWithThreeEvents();
        UUID confirmed = l.events().get(1).id();
        asSuperuser("UPDATE consent_events SET type = 'IMPORTED' WHERE id = ?", confirmed);
        l.owner().req().get("/api/tenants/" + l.slug() + "/consent-events/verify").then().statusCode(200)
                .body("valid", equalTo(false)).body("events", equalTo(3))
                .body("firstInvalid.id", equalTo(confirmed.toString()))
                .body("firstInvalid.reason", equalTo("hash does not match the event's content"));
    }

    @Test
    void aDeletedEventIsReported() throws SQLException {
        Ledger l = ledgerWithThreeEvents();
        asSuperuser("DELETE FROM consent_events WHERE id = ?", l.events().get(1).id());
        l.owner().req().get("/api/tenants/" + l.slug() + "/consent-events/verify").then()
                .body("valid", equalTo(false)).body("events", equalTo(2))
                .body("firstInvalid.id", equalTo(l.events().get(2).id().toString()))
                .body("firstInvalid.reason", equalTo("sequence gap: expected seq 2 but found 3 (events missing)"));
    }

    @Test
    void aDeletedLastEventIsReported() throws SQLException {
        Ledger l = ledgerWithThreeEvents();
        asSuperuser("DELETE FROM consent_events WHERE id = ?", l.events().get(2).id());
        l.owner().req().get("/api/tenants/" + l.slug() + "/consent-events/verify").then()
                .body("valid", equalTo(false)).body("events", equalTo(2))
                .body("firstInvalid.id", equalTo(l.events().get(1).id().toString()));
    }

    @Test
    void aConsistentlyRewrittenChainIsCaughtByACheckpoint() throws SQLException {
        Ledger l = ledgerWithThreeEvents();
        String base = "/api/tenants/" + l.slug() + "/consent-events";
        String first = l.owner().req().post(base + "/checkpoints").then().statusCode(201)
                .body("seq", equalTo(1)).body("heads", equalTo(1))
                .body("prevHash", equalTo(LedgerHash.GENESIS)).extract().path("hash");
        l.owner().req().post(base + "/checkpoints").then().statusCode(204);
        fx.run(l.slug(), () -> consent.append(NewEvent.of(l.subscriber().id(), ConsentEventType.REQUESTED,
                EventSource.API)));
        l.owner().req().post(base + "/checkpoints").then().statusCode(201)
                .body("seq", equalTo(2)).body("prevHash", equalTo(first));
        l.owner().req().get(base + "/verify").then().body("valid", equalTo(true)).body("events", equalTo(4));

        // Rewrite the last event and recompute its hash and the chain head: the chain itself is consistent.
        EventView last = fx.in(l.slug(), () -> subscribers.events(l.subscriber().publicId())).get(3);
        String tenantId = fx.tenantId(l.slug());
        String forged = LedgerHash.hash(new LedgerHash.Content(last.id(), tenantId, l.subscriber().id(), last.seq(),
                last.listId(), "WITHDRAWN", last.occurredAt(), last.source().name(), last.sourceDetail(),
                last.consentTextId(), last.consentTextSha256(), last.evidenceDigest(), last.waMessageId(),
                last.waTimestamp(), last.actorUserId(), last.reason(), last.prevHash()));
        asSuperuser("UPDATE consent_events SET type = 'WITHDRAWN', hash = ? WHERE id = ?", forged, last.id());
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement st = c.prepareStatement("UPDATE subscribers SET last_hash = ? WHERE id = ?")) {
            st.setString(1, forged);
            st.setObject(2, l.subscriber().id());
            assertEquals(1, st.executeUpdate());
        }
        l.owner().req().get(base + "/verify").then()
                .body("valid", equalTo(false))
                .body("firstInvalid.id", equalTo(last.id().toString()))
                .body("firstInvalid.reason", equalTo(
                        "a checkpoint recorded another event at seq 4 of this subscriber: the chain was rewritten"));
    }

    @Test
    void aChangedIpAddressIsReported() throws SQLException {
        Ledger l = ledgerWithThreeEvents();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement st = c.prepareStatement("UPDATE consent_evidence SET ip = '10.0.0.1' WHERE event_id = ?")) {
            st.setObject(1, l.events().get(0).id());
            assertEquals(1, st.executeUpdate());
        }
        l.owner().req().get("/api/tenants/" + l.slug() + "/consent-events/verify").then()
                .body("valid", equalTo(false))
                .body("firstInvalid.id", equalTo(l.events().get(0).id().toString()))
                .body("firstInvalid.reason", equalTo("the stored IP address or user agent does not match evidence_digest"));
    }

    /** Runs one statement as {@code user} inside the workspace (row-level security applies to every role). */
    private void inWorkspace(String user, String password, String tenantId, String sql, UUID id) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement set = c.prepareStatement("SELECT set_config('consentcast.tenant_id', ?, true)")) {
                set.setString(1, tenantId);
                set.execute();
            }
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setObject(1, id);
                st.executeUpdate();
            }
            c.rollback();
        }
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletes() {
        Ledger l = ledgerWithThreeEvents();
        UUID id = l.events().get(0).id();
        String tenantId = fx.tenantId(l.slug());
        // The application role has no UPDATE or DELETE privilege on the ledger.
        for (String sql : List.of("UPDATE consent_events SET reason = 'x' WHERE id = ?",
                "DELETE FROM consent_events WHERE id = ?")) {
            SQLException e = assertThrows(SQLException.class,
                    () -> inWorkspace(appUser, appPassword, tenantId, sql, id));
            assertEquals("42501", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        }
        // Even the owner of the table is stopped by the trigger.
        SQLException e = assertThrows(SQLException.class,
                () -> inWorkspace(ownerUser, ownerPassword, tenantId, "DELETE FROM consent_events WHERE id = ?", id));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        l.owner().req().get("/api/tenants/" + l.slug() + "/consent-events/verify").then()
                .body("valid", equalTo(true)).body("events", equalTo(3));
    }
}
