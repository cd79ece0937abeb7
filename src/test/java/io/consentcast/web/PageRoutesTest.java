package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every workspace page without further parameters opens for its owner. Quarkus REST chooses the resource
 * class with the longest matching path first, so a page method under a shorter class path (such as
 * {@code /}) can be hidden by another class; this catches it for pages added later too.
 */
@QuarkusTest
class PageRoutesTest {

    @Test
    void everyWorkspacePageOpensForItsOwner() {
        Api owner = Api.newUser("pages");
        String slug = owner.createWorkspace("pages");
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (var e : paths.entrySet()) {
            String path = e.getKey();
            if (!path.startsWith("/t/{tenant}") || !e.getValue().containsKey("get")
                    || path.replace("{tenant}", "").contains("{") || path.endsWith("/export")
                    || path.endsWith("/manifest") || path.endsWith(".png") || path.endsWith(".svg")) {
                continue;
            }
            checked++;
            int status = owner.req().accept("text/html").redirects().follow(false).get(path.replace("{tenant}", slug))
                    .statusCode();
            if (status >= 400) {
                broken.add(path + " -> " + status);
            }
        }
        assertTrue(checked >= 10, "expected the workspace pages in the OpenAPI document, checked " + checked);
        assertTrue(broken.isEmpty(), "pages that do not open: " + broken);
    }
}
