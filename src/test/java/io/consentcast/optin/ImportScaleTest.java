package io.consentcast.optin;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The documented limit: a file of 50,000 rows is imported through the API, in the background (49,997 readers
 * taken, three rows refused with their reasons, so that the report is part of the scale too).
 */
@QuarkusTest
class ImportScaleTest {

    private static final Logger LOG = Logger.getLogger(ImportScaleTest.class);

    @Test
    void fiftyThousandRowsAreImported() {
        Api owner = Api.newUser("importscale");
        String slug = owner.createWorkspace("importscale");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        StringBuilder csv = new StringBuilder("phone,opted_in_at,source\n");
        for (int i = 0; i < 49_997; i++) {
            csv.append(String.format(Locale.ROOT, "0151 %08d,2024-0%d-15,Newsletter-Formular %d%n", i, 1 + i % 9, i % 7));
        }
        csv.append("not a number,,\n0151 00000007,,\n0151 99999998,31.12.2023,\n");

        long start = System.nanoTime();
        String location = Imports.submit(owner, slug, "morgen", csv.toString().getBytes(StandardCharsets.UTF_8),
                "text/csv; charset=UTF-8", false);
        long accepted = System.nanoTime();
        JsonPath job = Imports.await(owner, location, Duration.ofMinutes(10));
        long done = System.nanoTime();
        LOG.infof("50,000-row import: upload accepted in %d ms, applied in %d s", (accepted - start) / 1_000_000,
                (done - accepted) / 1_000_000_000);

        assertEquals("DONE", job.getString("state"));
        assertEquals(50_000, job.getInt("rows"));
        assertEquals(50_000, job.getInt("processed"));
        assertEquals(49_997, job.getInt("imported"));
        assertEquals(3, job.getInt("rejectedRows"));
        assertEquals("invalid phone number", job.getString("rejected.find { it.row == 49999 }.reason"));
        assertEquals("duplicate in this file", job.getString("rejected.find { it.row == 50000 }.reason"));
        assertEquals("opted_in_at is not a date (use 2024-05-31)", job.getString("rejected.find { it.row == 50001 }.reason"));
        assertTrue((accepted - start) / 1_000_000_000 < 60, "the upload is answered at once, not after the import");
        owner.req().queryParam("state", "IMPORTED").get("/api/tenants/" + slug + "/subscribers").then()
                .body("total", equalTo(49_997));
    }
}
