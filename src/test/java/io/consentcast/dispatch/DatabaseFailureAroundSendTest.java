package io.consentcast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.whatsapp.ErrorClass;
import io.consentcast.whatsapp.GraphMock;
import io.consentcast.whatsapp.SendResult;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A database failure right around a send must not turn a delivery into FAILED {@code outcome-unknown} when the
 * outcome is known. Found by {@code TwoInstancesIT}: under load the connection pool ran dry while rows were SENDING;
 * a reader whose message had not even left lost the issue, and one whose message Meta had accepted was counted as
 * failed. Here the failure is made deterministic: the application role briefly loses its grant on the table the
 * step needs (the owner's datasource revokes and restores it).
 */
@QuarkusTest
class DatabaseFailureAroundSendTest {

    @Inject
    DispatchFixture fx;

    @Inject
    DispatchWork work;

    @Inject
    @DataSource("migration")
    AgroalDataSource owner;

    @ConfigProperty(name = "quarkus.datasource.username")
    String appRole;

    record Sending(Workspace w, String phoneNumberId, String issueId, DispatchWork.RunContext ctx,
            DispatchWork.Row row, String to) {

        String messages() {
            return "/v23.0/" + phoneNumberId + "/messages";
        }
    }

    /** A Cloud API workspace with one confirmed reader and an issue whose only row this worker has passed through the gate. */
    private Sending oneRowSending(String prefix) {
        Workspace w = fx.workspace(prefix);
        String phone = DispatchEngineTest.graphId();
        String waba = DispatchEngineTest.graphId();
        GraphMock.ownedNumber(phone, waba, "tok-" + prefix);
        w.owner().req().body(Map.of("type", "cloud-api", "phoneNumberId", phone, "businessAccountId", waba,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", "tok-" + prefix))
                .put("/api/tenants/" + w.slug() + "/channel").then().statusCode(200);
        GraphMock.server().stubFor(get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(DispatchEngineTest.fixture("templates.json"))));
        w.owner().req().post("/api/tenants/" + w.slug() + "/templates/sync").then().statusCode(200);
        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + phone + "/messages")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid."
                        + "{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")
                .withTransformers("response-template")));
        fx.confirmed(w, DispatchFixture.number());
        String id = w.owner().req().body(Map.of("list", "morgen", "title", prefix, "template",
                Map.of("name", "morning_briefing", "language", "de", "parameters", List.of(prefix))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        DispatchWork.Batch batch = work.claim(new DispatchWork.JobRef(UUID.fromString(id), w.tenantId()), "w1", 10);
        assertEquals(1, batch.rows().size());
        String to = work.gate(batch.context(), batch.rows().get(0), "w1");
        assertEquals(1, to == null ? 0 : 1, "the row passed the gate");
        return new Sending(w, phone, id, batch.context(), batch.rows().get(0), to);
    }

    @Test
    void aDatabaseFailureBeforeTheMessageLeavesSendsItLaterInsteadOfGivingTheReaderUp() {
        Sending s = oneRowSending("db-before");

        SendResult result = withoutGrant("SELECT", "whatsapp_channel_settings", () -> work.send(s.ctx(), s.to()));

        SendResult.Failed failed = assertInstanceOf(SendResult.Failed.class, result);
        assertEquals(ErrorClass.RETRY_LATER, failed.errorClass());
        assertEquals(0, sendsTo(s), "nothing left for WhatsApp");
        assertEquals(DispatchWork.Outcome.RETRY, work.record(s.ctx(), s.row(), result, "w1"));
        try (Dispatcher d = fx.dispatcher("db-before", 2)) {
            assertEquals("DONE", fx.drain(d, s.w(), s.issueId()));
        }
        JsonPath issue = s.w().owner().req().get(s.w().issues() + "/" + s.issueId()).then().extract().jsonPath();
        assertEquals(1, issue.getInt("counts.sent"));
        assertEquals(0, issue.getInt("counts.failed"));
        assertEquals(1, sendsTo(s), "the reader got the issue once");
    }

    @Test
    void aDatabaseFailureAfterMetaAcceptedTheMessageStillRecordsTheDeliverySent() {
        Sending s = oneRowSending("db-after");

        SendResult result = withoutGrant("INSERT", "whatsapp_messages", () -> work.send(s.ctx(), s.to()));

        SendResult.Accepted accepted = assertInstanceOf(SendResult.Accepted.class, result);
        assertEquals(1, sendsTo(s));
        assertEquals(DispatchWork.Outcome.SENT, work.record(s.ctx(), s.row(), result, "w1"));
        try (Dispatcher d = fx.dispatcher("db-after", 2)) {
            assertEquals("DONE", fx.drain(d, s.w(), s.issueId()));
        }
        JsonPath issue = s.w().owner().req().get(s.w().issues() + "/" + s.issueId()).then().extract().jsonPath();
        assertEquals(1, issue.getInt("counts.sent"));
        assertEquals(0, issue.getInt("counts.failed"));
        assertEquals(List.of(accepted.messageId()), s.w().owner().req()
                .get(s.w().issues() + "/" + s.issueId() + "/deliveries").then().extract().jsonPath()
                .getList("items.providerMessageId"));
        assertEquals(1, sendsTo(s), "sent once, not again");
    }

    private int sendsTo(Sending s) {
        return GraphMock.server().countRequestsMatching(postRequestedFor(urlEqualTo(s.messages())).build()).getCount();
    }

    /** Runs {@code work} while the application role lacks {@code privilege} on {@code table}. */
    private <T> T withoutGrant(String privilege, String table, Supplier<T> work) {
        ddl("REVOKE " + privilege + " ON " + table + " FROM " + appRole);
        try {
            return work.get();
        } finally {
            ddl("GRANT " + privilege + " ON " + table + " TO " + appRole);
        }
    }

    private void ddl(String sql) {
        try (Connection c = owner.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
