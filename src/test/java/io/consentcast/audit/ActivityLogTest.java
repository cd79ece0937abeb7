package io.consentcast.audit;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
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
                .body("action", contains("member.role-changed", "member.joined", "member.invited"))
                .body("[0].detail", equalTo(editor.email() + ": EDITOR -> VIEWER"))
                .body("[0].actor", equalTo(owner.email()))
                .body("[1].actor", equalTo(editor.email()));
        List<String> ids = owner.req().get("/api/tenants/" + slug + "/activity").then().extract().path("id");
        owner.req().queryParam("limit", 1).queryParam("before", ids.get(0)).get("/api/tenants/" + slug + "/activity")
                .then().statusCode(200).body("action", contains("member.joined"));
        owner.req().queryParam("limit", 0).get("/api/tenants/" + slug + "/activity").then().statusCode(400)
                .body("errors.limit", startsWith("Choose a limit"));

        String csv = owner.req().accept("*/*").get("/api/tenants/" + slug + "/activity/export").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        org.junit.jupiter.api.Assertions.assertEquals("id,occurred_at,actor_user_id,actor,action,detail", lines[0]);
        org.junit.jupiter.api.Assertions.assertTrue(lines[1].contains(",member.invited,"), lines[1]);
        org.junit.jupiter.api.Assertions.assertTrue(lines[lines.length - 1].contains(",activity.exported,"),
                "the download itself is logged");

        editor.req().get("/api/tenants/" + slug + "/activity").then().statusCode(403);
        editor.req().accept("*/*").get("/api/tenants/" + slug + "/activity/export").then().statusCode(403);
        Api other = Api.newUser("other");
        String otherSlug = other.createWorkspace("activity");
        other.req().get("/api/tenants/" + otherSlug + "/activity").then().statusCode(200).body("", hasSize(0));
    }
}
