package io.consentcast.audit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Every kind of change a member makes through the API and the pages ends up in the activity log, with the member who
 * made it and the readable name of what it was about; the log filters, pages and downloads; another workspace's
 * entries never show.
 */
@QuarkusTest
class ActivityCoverageTest {

    private static JsonPath log(Api owner, String slug) {
        return owner.req().queryParam("limit", 500).get("/api/tenants/" + slug + "/activity").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Map<String, Object> entry(JsonPath log, String action) {
        Map<String, Object> e = log.getMap("find { it.action == '" + action + "' }");
        assertTrue(e != null, "no " + action + " entry in " + log.prettify());
        return e;
    }

    @Test
    void everyKindOfChangeIsLoggedWithTheMemberAndAReadableName() {
        Api owner = Api.newUser("chief");
        String slug = owner.createWorkspace("act");
        String base = "/api/tenants/" + slug;

        Map<String, Object> list = Fixtures.germanList("morgen", "MORGEN");
        list.put("name", "=cmd Morgen");
        String listId = owner.req().body(list).post(base + "/lists").then().statusCode(201).extract().path("id");
        owner.req().body(Map.of("name", "Morgenbriefing", "keyword", "FRUEH")).put(base + "/lists/morgen").then()
                .statusCode(200);
        owner.req().body(Map.of("consentText", Fixtures.CONSENT_TEXT + " Neu.")).put(base + "/lists/morgen").then()
                .statusCode(200);

        owner.req().body(Map.of("status", "CLOSED")).put(base + "/lists/morgen").then().statusCode(200);
        owner.req().body(Map.of("status", "OPEN")).put(base + "/lists/morgen").then().statusCode(200);

        owner.req().body(Map.of("type", "sandbox")).put(base + "/channel").then().statusCode(200);
        owner.req().post(base + "/templates/sync").then().statusCode(200);

        String location = owner.req().contentType("text/csv; charset=UTF-8")
                .body("phone\n+4915112340001\n+4915112340002\nnot a number\n").queryParam("dryRun", false)
                .post(base + "/lists/morgen/imports").then().statusCode(202).extract().header("Location");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> List
                .of("DONE", "FAILED").contains(owner.req().get(location).then().extract().path("state")));

        String reader = owner.req().get(base + "/subscribers").then().statusCode(200).extract().path("items[0].id");
        owner.req().body(Map.of("listId", listId, "reason", "Anruf am Telefon")).post(base + "/subscribers/" + reader
                + "/withdraw").then().statusCode(200);
        owner.req().get(base + "/subscribers/" + reader + "/export").then().statusCode(200);
        owner.req().post(base + "/subscribers/" + reader + "/erase").then().statusCode(200);
        owner.req().accept("*/*").queryParam("format", "csv").get(base + "/consent-events/export").then().statusCode(200);

        owner.req().body(Map.of("recordClientData", true, "truncateIp", true, "retentionMonths", 24))
                .put(base + "/ledger-settings").then().statusCode(200);
        owner.req().body(Map.of("stopWords", List.of("STOP", "HALT"), "accentColor", "#123456"))
                .put(base + "/optin-settings").then().statusCode(200);

        Api editor = Api.newUser("editor");
        owner.addMember(slug, editor, "EDITOR");
        String memberId = owner.req().get(base + "/members").then().extract()
                .path("find { it.role == 'EDITOR' }.id");
        owner.req().body(Map.of("role", "ADMIN")).put(base + "/members/" + memberId).then().statusCode(200);
        owner.req().delete(base + "/members/" + memberId).then().statusCode(204);

        JsonPath log = log(owner, slug);
        // Who and what: the member's address, the kind's label, the current name of the thing.
        Map<String, Object> created = entry(log, "workspace.created");
        assertEquals(owner.email(), created.get("actorEmail"));
        assertEquals("Workspace created", created.get("kind"));
        assertEquals("Publication " + slug, created.get("subject"));
        Map<String, Object> listCreated = log.getMap("find { it.action == 'list.created' && it.subjectId == '" + listId
                + "' }");
        assertEquals(owner.email(), listCreated.get("actorEmail"));
        assertEquals(listId, listCreated.get("subjectId"));
        assertEquals("Morgenbriefing", listCreated.get("subject"), "the list's current name, not the name it had");
        assertEquals("Changed: name, keyword", entry(log, "list.edited").get("detail"));
        assertEquals(1, log.getList("findAll { it.action == 'list.edited' }").size(), "a status change is no edit");
        assertEquals("Morgenbriefing", entry(log, "list.closed").get("subject"));
        assertEquals(owner.email(), entry(log, "list.closed").get("actorEmail"));
        assertEquals("Morgenbriefing", entry(log, "list.reopened").get("subject"));
        List<Map<String, Object>> texts = log.getList("findAll { it.action == 'consent-text.published' && it.subjectId == '"
                + listId + "' }");
        assertEquals(2, texts.size());
        assertEquals("Morgenbriefing", texts.get(0).get("subject"));
        assertEquals("Version 2, language de", texts.get(0).get("detail"));
        assertEquals("Cloud API: no; switched: no; number –", entry(log, "channel.saved").get("detail"));
        assertEquals(owner.email(), entry(log, "templates.synced").get("actorEmail"));
        assertEquals("api upload into Morgenbriefing, 3 rows, trial run: no", entry(log, "import.started").get("detail"));
        Map<String, Object> finished = entry(log, "import.finished");
        assertEquals(owner.email(), finished.get("actorEmail"), "the worker records the member who uploaded");
        assertEquals("api upload into Morgenbriefing: 3 rows, 2 imported, 1 rejected; trial run: no; failed: no",
                finished.get("detail"));
        assertEquals("List Morgenbriefing: Anruf am Telefon", entry(log, "consent.withdrawn-by-member").get("detail"));
        assertEquals(reader, entry(log, "consent.withdrawn-by-member").get("subject"));
        entry(log, "subscriber.exported");
        entry(log, "subscriber.erased");
        assertEquals("Format csv, from –, to –, list –, reader –", entry(log, "consent-events.exported").get("detail"));
        assertEquals("Record IP address and browser: yes, shorten IP addresses: yes, keep evidence 24 months",
                entry(log, "ledger-settings.changed").get("detail"));
        assertEquals("Stop words: STOP, HALT; accent colour #123456", entry(log, "optin.settings-changed").get("detail"));
        assertEquals(editor.email() + " as Editor", entry(log, "member.invited").get("detail"));
        assertEquals(editor.email(), entry(log, "member.joined").get("actorEmail"));
        assertEquals(editor.email(), entry(log, "member.role-changed").get("subject"));
        assertEquals(editor.email() + ": Editor → Admin", entry(log, "member.role-changed").get("detail"));
        assertEquals(editor.email(), entry(log, "member.removed").get("subject"));
        assertEquals(owner.email(), entry(log, "member.removed").get("actorEmail"));
        // The page, in German: labels, names and the member; no ids.
        String html = owner.req().accept("text/html").header("Accept-Language", "de").get("/t/" + slug + "/activity")
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("Liste angelegt") && html.contains("Morgenbriefing") && html.contains("Rolle geändert")
                && html.contains(editor.email()), html);
        assertTrue(!html.contains(listId), "the page names the list instead of its id");

        // Editors and viewers do not see the log (docs/ROLES.md: ADMIN and OWNER).
        Api viewer = Api.newUser("viewer");
        owner.addMember(slug, viewer, "VIEWER");
        viewer.req().get(base + "/activity").then().statusCode(403);
        viewer.req().accept("text/html").get("/t/" + slug + "/activity").then().statusCode(403);
        viewer.req().accept("*/*").get("/t/" + slug + "/activity/export").then().statusCode(403);
    }

    @Test
    void theLogFiltersByMemberKindAndDayAndRefusesBadFilters() {
        Api owner = Api.newUser("filter");
        String slug = owner.createWorkspace("flt");
        String base = "/api/tenants/" + slug;
        Api editor = Api.newUser("joiner");
        owner.addMember(slug, editor, "EDITOR");
        owner.req().body(Fixtures.germanList("abend", "ABEND")).post(base + "/lists").then().statusCode(201);
        String editorId = log(owner, slug).getString("find { it.action == 'member.joined' }.actorUserId");

        owner.req().queryParam("member", editorId).get(base + "/activity").then().statusCode(200)
                .body("action", equalTo(List.of("member.joined")));
        owner.req().queryParam("kind", "list.created").get(base + "/activity").then().statusCode(200)
                .body("", hasSize(1)).body("[0].subject", equalTo("Morgenbriefing"));
        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        String tomorrow = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(2).toString();
        owner.req().queryParam("from", today).queryParam("to", today).get(base + "/activity").then().statusCode(200)
                .body("action", hasItem("list.created"));
        owner.req().queryParam("from", tomorrow).get(base + "/activity").then().statusCode(200).body("", hasSize(0));
        owner.req().queryParam("to", "2020-01-01").get(base + "/activity").then().statusCode(200).body("", hasSize(0));

        // Paging: newest first, continued with the last id.
        List<String> ids = log(owner, slug).getList("id");
        owner.req().queryParam("limit", 2).get(base + "/activity").then().body("id", equalTo(ids.subList(0, 2)));
        owner.req().queryParam("limit", 2).queryParam("before", ids.get(1)).get(base + "/activity").then()
                .body("id", equalTo(ids.subList(2, Math.min(4, ids.size()))));

        // Bad filters: a problem naming the field, never a 500.
        owner.req().queryParam("member", "nobody").get(base + "/activity").then().statusCode(400)
                .body("errors.member", equalTo("Choose a member from the list."));
        owner.req().queryParam("member", UUID.randomUUID().toString()).get(base + "/activity").then().statusCode(400)
                .body("errors.member", equalTo("This person has no activity in this workspace."));
        owner.req().queryParam("kind", "list.exploded").get(base + "/activity").then().statusCode(400)
                .body("errors.kind", equalTo("Choose an action from the list."));
        owner.req().queryParam("from", "2026-13-45").get(base + "/activity").then().statusCode(400)
                .body("errors.from", equalTo("Enter a date such as 2026-01-31."));
        owner.req().queryParam("from", "2026-02-01").queryParam("to", "2026-01-01").get(base + "/activity").then()
                .statusCode(400).body("errors.to", equalTo("The end date must not be before the start date."));
        owner.req().accept("*/*").queryParam("kind", "nope").get(base + "/activity/export").then().statusCode(400);
        // The page: a form error in the page's language, the input kept.
        owner.req().accept("text/html").header("Accept-Language", "de").queryParam("from", "gestern")
                .get("/t/" + slug + "/activity").then().statusCode(400)
                .body(containsString("Geben Sie ein Datum wie 2026-01-31 ein."))
                .body(containsString("value=\"gestern\""));
        owner.req().accept("text/html").header("Accept-Language", "en").queryParam("kind", "list.created")
                .get("/t/" + slug + "/activity").then().statusCode(200).body(containsString("List created"))
                .body(not(containsString("Member joined</td>")));
    }

    @Test
    void theCsvNeutralisesFormulasAndAnotherWorkspaceSeesNothing() throws Exception {
        Api owner = Api.newUser("csv");
        String slug = owner.createWorkspace("csv");
        Map<String, Object> list = Fixtures.germanList("formel", "FORMEL");
        list.put("name", "=cmd|' /C calc'!A0");
        owner.req().body(list).post("/api/tenants/" + slug + "/lists").then().statusCode(201);

        String csv = owner.req().accept("*/*").header("Accept-Language", "de").queryParam("kind", "list.created")
                .get("/t/" + slug + "/activity/export").then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("attachment")).extract().asString();
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(1, rows.size(), csv);
        assertEquals("'=cmd|' /C calc'!A0", rows.get(0).get("subject"));
        assertEquals("Liste angelegt", rows.get(0).get("kind"));
        assertEquals(owner.email(), rows.get(0).get("actor_email"));
        assertEquals(owner.email().substring(0, owner.email().indexOf('@')), rows.get(0).get("actor"), "the member's name");
        for (CSVRecord r : rows) {
            for (String cell : r.values()) {
                assertTrue(cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0, "a cell a spreadsheet would run: " + cell);
            }
        }
        owner.req().get("/api/tenants/" + slug + "/activity").then()
                .body("find { it.action == 'list.created' }.subject", equalTo("=cmd|' /C calc'!A0"))
                .body("action", hasItem("activity.exported"));

        Api stranger = Api.newUser("stranger");
        String other = stranger.createWorkspace("other");
        String ownerId = log(owner, slug).getString("find { it.action == 'list.created' }.actorUserId");
        stranger.req().get("/api/tenants/" + other + "/activity").then().statusCode(200)
                .body("action", everyItem(equalTo("workspace.created"))).body("", hasSize(1));
        stranger.req().queryParam("member", ownerId).get("/api/tenants/" + other + "/activity").then().statusCode(400);
        String theirCsv = stranger.req().accept("*/*").get("/api/tenants/" + other + "/activity/export").then()
                .statusCode(200).extract().asString();
        assertTrue(!theirCsv.contains("calc") && !theirCsv.contains(owner.email()), theirCsv);
        stranger.req().get("/api/tenants/" + slug + "/activity").then().statusCode(404);
        String ownEntry = log(owner, slug).getString("[0].id");
        stranger.req().queryParam("before", ownEntry).get("/api/tenants/" + other + "/activity").then().statusCode(404);
    }
}
