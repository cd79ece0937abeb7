package io.consentcast.optin;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * An import survives the death of the instance that works on it: the job is resumed by another instance after
 * the lease expired, from its last committed chunk, and no row is applied twice. The scheduler is off here so
 * that the test plays both instances itself; time moves with the test clock, nobody sleeps.
 */
@QuarkusTest
@TestProfile(ImportRestartTest.WorkerDrivenByTheTest.class)
class ImportRestartTest {

    public static class WorkerDrivenByTheTest implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("consentcast.imports.every", "off", "consentcast.imports.chunk-size", "100");
        }
    }

    @Inject
    ImportWorker worker;

    @Inject
    ImportConfig config;

    @Inject
    TenantScope scope;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aJobWhoseInstanceDiedIsResumedAfterItsLastCommittedChunk() {
        Api owner = Api.newUser("importrestart");
        String slug = owner.createWorkspace("importrestart");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 1; i <= 350; i++) {
            csv.append(String.format(Locale.ROOT, "0151 7%07d%n", i));
        }
        String location = Imports.submit(owner, slug, "morgen", csv.toString(), false);
        owner.req().get(location).then().statusCode(200).body("state", equalTo("QUEUED")).body("processed", equalTo(0));

        // An instance claims the job, commits one chunk of 100 rows, and dies.
        List<ImportWorker.JobRef> claimed = worker.claim("instance-that-dies", 5);
        assertEquals(1, claimed.size());
        ImportWorker.JobRef job = claimed.get(0);
        assertEquals(ImportWorker.Step.CONTINUE, scope.call(job.tenantId(), () -> worker.chunk(job, "instance-that-dies")));
        owner.req().get(location).then().body("state", equalTo("RUNNING")).body("processed", equalTo(100))
                .body("imported", equalTo(100));

        // While the lease lasts, no other instance takes the job.
        assertEquals(List.of(), worker.claim("second-instance", 5));

        // The lease expires: the second instance claims the job; the first one, back from the dead, is refused.
        clock.advance(config.lease().plusSeconds(1));
        List<ImportWorker.JobRef> resumed = worker.claim("second-instance", 5);
        assertEquals(List.of(job), resumed);
        assertEquals(ImportWorker.Step.LEASE_LOST,
                scope.call(job.tenantId(), () -> worker.chunk(job, "instance-that-dies")));
        owner.req().get(location).then().body("processed", equalTo(100));

        worker.work(resumed.get(0), "second-instance");
        JsonPath done = owner.req().get(location).then().statusCode(200).extract().jsonPath();
        assertEquals("DONE", done.getString("state"));
        assertEquals(350, done.getInt("processed"));
        assertEquals(350, done.getInt("imported"));
        assertEquals(0, done.getInt("rejectedRows"));

        // Every reader once: 350 imported subscribers, and one IMPORTED event for a reader of the first chunk
        // and one of the chunk after the takeover.
        owner.req().queryParam("state", "IMPORTED").get("/api/tenants/" + slug + "/subscribers").then()
                .body("total", equalTo(350));
        for (String phone : List.of("+4915170000001", "+4915170000101", "+4915170000350")) {
            String id = owner.req().queryParam("q", phone).get("/api/tenants/" + slug + "/subscribers").then()
                    .extract().path("items.find { it.phone == '" + phone + "' }.id");
            owner.req().get("/api/tenants/" + slug + "/subscribers/" + id + "/events").then().statusCode(200)
                    .body("findAll { it.type == 'IMPORTED' }.size()", equalTo(1))
                    .body("size()", equalTo(1));
        }
        // Nothing is left to claim.
        clock.advance(config.lease().plusSeconds(1));
        assertEquals(List.of(), worker.claim("third-instance", 5));
    }
}
