package io.consentcast.tenancy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Method;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Enumerates every tenant-scoped route from the application's own OpenAPI document, so routes
 * added later are covered without editing this test, and proves that a member of another
 * workspace gets 404 and none of the workspace's data, for every method.
 */
@QuarkusTest
class IsolationSweepTest {

    /** A route and the media type its body is read as (null: no body). */
    record Route(Method method, String path, String bodyType) {
    }

    @Test
    void aMemberOfAnotherWorkspaceGetsNotFoundOnEveryTenantRoute() {
        Api owner = Api.newUser("victim");
        String victim = owner.createWorkspace("victim");
        String secretName = "Publication " + victim;
        Api outsider = Api.newUser("outsider");
        String own = outsider.createWorkspace("outsider");
        // The outsider's own workspace has what its parameterless GETs show (the current consent text).
        outsider.req().body(Map.of("language", "en", "text", "Yes, send me the news."))
                .post("/api/tenants/" + own + "/consent-texts").then().statusCode(201);

        List<Route> routes = tenantRoutes();
        assertTrue(routes.size() >= 8, "expected the tenant routes in the OpenAPI document, found " + routes);

        for (Route route : routes) {
            String url = concrete(route.path(), victim);
            Response r = call(outsider, route, url);
            assertEquals(404, r.statusCode(), route + " answered " + r.statusCode() + ": " + r.asString());
            assertFalse(r.asString().contains(secretName), route + " leaked the workspace's data");
            assertFalse(r.asString().contains(owner.email()), route + " leaked a member's address");

            // Control: the same route in the outsider's own workspace passes the tenant check, so this test
            // would notice a route that answers 404 for everybody.
            Response control = call(outsider, route, concrete(route.path(), own));
            assertFalse(control.asString().contains("There is no such workspace"),
                    route + " refused the caller's own workspace: " + control.asString());
            // A GET that needs nothing but the workspace must answer its own member: a route hidden by another
            // resource class (Quarkus REST does not fall back between classes) answers 404 to everyone.
            if (route.method() == Method.GET && !route.path().replace("{tenant}", "").contains("{")) {
                assertTrue(control.statusCode() < 400,
                        route + " does not answer a member of its own workspace: " + control.statusCode());
            }
        }
    }

    private static Response call(Api api, Route route, String url) {
        var req = api.req().redirects().follow(false);
        if (route.path().startsWith("/t/")) {
            req = req.accept("*/*");
        }
        if (route.bodyType() != null && route.bodyType().contains("json")) {
            req = req.body(Map.of());
        } else if (route.bodyType() != null) {
            req = req.contentType(route.bodyType()).body(new byte[0]); // a file body (CSV, an image): empty bytes
        }
        return req.request(route.method(), url);
    }

    private static String concrete(String template, String slug) {
        return template.replace("{tenant}", slug).replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    @SuppressWarnings("unchecked")
    private static String bodyType(Object operation) {
        if (!(operation instanceof Map<?, ?> op) || !(op.get("requestBody") instanceof Map<?, ?> body)
                || !(body.get("content") instanceof Map<?, ?> content) || content.isEmpty()) {
            return null;
        }
        return (String) content.keySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    private static List<Route> tenantRoutes() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<Route> routes = new ArrayList<>();
        paths.forEach((path, ops) -> {
            Map<String, Object> operations = ops;
            boolean api = path.startsWith("/api/tenants/{tenant}");
            boolean page = path.startsWith("/t/{tenant}");
            if (!api && !page) {
                return;
            }
            for (String m : operations.keySet()) {
                Method method = switch (m.toLowerCase()) {
                    case "get" -> Method.GET;
                    case "post" -> Method.POST;
                    case "put" -> Method.PUT;
                    case "delete" -> Method.DELETE;
                    case "patch" -> Method.PATCH;
                    default -> null;
                };
                // Page forms are CSRF-protected, so only their GETs can be swept with a bearer token;
                // their POST handlers run behind the same filter.
                if (method != null && (api || method == Method.GET)) {
                    routes.add(new Route(method, path, bodyType(operations.get(m))));
                }
            }
        });
        return routes;
    }
}
