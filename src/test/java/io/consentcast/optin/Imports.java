package io.consentcast.optin;

import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

import io.consentcast.testsupport.Api;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Imports through the API as a client does: POST the file (202 and the job's Location), then poll the job. */
final class Imports {

    private Imports() {
    }

    /** Uploads {@code csv} to the list and returns the job's address (the Location of the 202). */
    static String submit(Api owner, String slug, String list, String csv, boolean dryRun) {
        return submit(owner, slug, list, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv; charset=UTF-8",
                dryRun);
    }

    static String submit(Api owner, String slug, String list, byte[] csv, String contentType, boolean dryRun) {
        Response r = owner.req().contentType(contentType).body(csv).queryParam("dryRun", dryRun)
                .post("/api/tenants/" + slug + "/lists/" + list + "/imports");
        r.then().statusCode(202).header("Location", startsWith("http"));
        return r.header("Location");
    }

    /** Waits until the job is DONE or FAILED and returns it. */
    static JsonPath await(Api owner, String location, Duration atMost) {
        JsonPath[] job = new JsonPath[1];
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            job[0] = owner.req().get(location).then().statusCode(200).extract().jsonPath();
            return List.of("DONE", "FAILED").contains(job[0].getString("state"));
        });
        return job[0];
    }

    static JsonPath importAndWait(Api owner, String slug, String list, String csv) {
        return await(owner, submit(owner, slug, list, csv, false), Duration.ofSeconds(60));
    }
}
