package io.consentcast.audit;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** The admin activity log records team changes and is for owners and admins only. */
@QuarkusTest
class ActivityLogTest {

    @Test
    void teamChangesAreLoggedNewestFirst() {
        Api owner = Api.newUser("boss");
        String slug = owner.createWorkspace("activity");
        Api editor = Api.newUser("writer");
        owner.addMember(slug, editor, "EDITOR");
        String memberId = owner.req().get("/api/tenants/" + slug + "/members").then().extract()
                .path("find { it.role == 'EDITOR' }.id");
        owner.req().body(Map.of("role", "VIEWER")).put("/api/tenants/" + slug + "/members/" + memberId)
                .then().statusCode(200);

        owner.req().get("/api/tenants/" + slug + "/activity").then().statusCode(200)
                .body("action", contains("member.role-changed", "member.joined", "member.invited", "workspace.created"))
                .body("[0].detail", equalTo(editor.email() + ": Editor → Viewer"))
                .body("[0].actorEmail", equalTo(owner.email()))
                .body("[1].actorEmail", equalTo(editor.email()));
        List<String> ids = owner.req().get("/api/tenants/" + slug + "/activity").then().extract().path("id");
        owner.req().queryParam("limit", 1).queryParam("before", ids.get(0)).get("/api/tenants/" + slug + "/activity")
                .then().statusCode(200).body("action", contains("member.joined"));
        owner.req().queryParam("limit", 0).get("/api/tenants/" + slug + "/activity").then().statusCode(400)
                .body("errors.limit", startsWith("Choose a limit"));

        String csv = owner.req().accept("*/*").get("/api/tenants/" + slug + "/activity/export").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        org.junit.jupiter.api.Assertions.assertEquals(
                "id,occurred_at,actor_user_id,actor,actor_email,action,kind,subject_type,subject_id,subject,detail,details", lines[0]);
        org.junit.jupiter.api.Assertions.assertTrue(lines[1].contains(",workspace.created,"), lines[1]);
        org.junit.jupiter.api.Assertions.assertTrue(lines[2].contains(",member.invited,"), lines[2]);
        org.junit.jupiter.api.Assertions.assertTrue(lines[lines.length - 1].contains(",activity.exported,"),
                "the download itself is logged");

        editor.req().get("/api/tenants/" + slug + "/activity").then().statusCode(403);
        editor.req().accept("*/*").get("/api/tenants/" + slug + "/activity/export").then().statusCode(403);
        Api other = Api.newUser("other");
        String otherSlug = other.createWorkspace("activity");
        other.req().get("/api/tenants/" + otherSlug + "/activity").then().statusCode(200).body("", hasSize(1))
                .body("[0].action", equalTo("workspace.created"));
    }

    /**
     * An invited address and a member's name that a spreadsheet would run as formulas: neutralised in the CSV
     * (one {@code '} in front), raw in the JSON API.
     */
    @Test
    void formulaLikeAddressesAndNamesAreNeutralisedInTheCsv() throws Exception {
        Api owner = Api.newUser("boss");
        String slug = owner.createWorkspace("formula");
        String id = UUID.randomUUID().toString().substring(0, 8);
        String email = "=1+1-" + id + "@example.org";
        Api formula = new Api("sub-formula-" + id, email, Tokens.of("sub-formula-" + id, email));
        owner.addMember(slug, formula, "EDITOR");
        owner.req().get("/api/tenants/" + slug + "/activity").then().statusCode(200)
                .body("find { it.action == 'member.invited' }.detail", equalTo(email + " as Editor"));

        String csv = owner.req().accept("*/*").get("/api/tenants/" + slug + "/activity/export").then()
                .statusCode(200).extract().asString();
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        CSVRecord invited = rows.stream().filter(r -> r.get("action").equals("member.invited")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals("'" + email + " as Editor", invited.get("detail"));
        org.junit.jupiter.api.Assertions.assertEquals("'" + email, invited.get("subject"));
        CSVRecord joined = rows.stream().filter(r -> r.get("action").equals("member.joined")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals("'" + email, joined.get("actor_email"), csv);
        org.junit.jupiter.api.Assertions.assertEquals("'=1+1-" + id, joined.get("actor"), "the member's name");
        for (CSVRecord r : rows) {
            for (String cell : r.values()) {
                org.junit.jupiter.api.Assertions.assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0,
                        "a cell a spreadsheet would run: " + cell);
            }
        }
    }
}
