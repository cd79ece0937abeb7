package io.consentcast.web;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.Method;
import io.restassured.path.json.JsonPath;

/**
 * The API's routes as the application's own OpenAPI document describes them: method, path, path and
 * query parameters with their types, and the JSON body's properties (references resolved), so the
 * bad-input sweep covers routes added later without being edited.
 */
final class SweepRoutes {

    /** A path or query parameter, or a JSON body property; {@code type} is the OpenAPI type or format. */
    record Field(String name, String type, Map<String, Field> properties) {

        boolean isObject() {
            return "object".equals(type);
        }
    }

    record Route(Method method, String path, List<Field> pathParams, List<Field> queryParams, String bodyType,
            Map<String, Field> body) {

        boolean jsonBody() {
            return bodyType != null && bodyType.contains("json");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final Map<String, Object> schemas;

    private SweepRoutes(Map<String, Object> schemas) {
        this.schemas = schemas;
    }

    /** Every route under /api except the ones the filter leaves out. */
    @SuppressWarnings("unchecked")
    static List<Route> api(java.util.function.Predicate<String> include) {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        SweepRoutes reader = new SweepRoutes(doc.getMap("components.schemas"));
        List<Route> routes = new ArrayList<>();
        paths.forEach((path, ops) -> {
            if (!path.startsWith("/api") || !include.test(path)) {
                return;
            }
            ops.forEach((m, op) -> {
                Method method = switch (m.toLowerCase()) {
                    case "get" -> Method.GET;
                    case "post" -> Method.POST;
                    case "put" -> Method.PUT;
                    case "delete" -> Method.DELETE;
                    case "patch" -> Method.PATCH;
                    default -> null;
                };
                if (method != null) {
                    routes.add(reader.route(method, path, (Map<String, Object>) op));
                }
            });
        });
        return routes;
    }

    @SuppressWarnings("unchecked")
    private Route route(Method method, String path, Map<String, Object> op) {
        List<Field> pathParams = new ArrayList<>();
        List<Field> queryParams = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) op.getOrDefault("parameters", List.of())) {
            Field f = field((String) p.get("name"), (Map<String, Object>) p.get("schema"), 0);
            if ("path".equals(p.get("in"))) {
                pathParams.add(f);
            } else if ("query".equals(p.get("in"))) {
                queryParams.add(f);
            }
        }
        String bodyType = null;
        Map<String, Field> body = Map.of();
        if (op.get("requestBody") instanceof Map<?, ?> rb && rb.get("content") instanceof Map<?, ?> content
                && !content.isEmpty()) {
            bodyType = (String) content.keySet().iterator().next();
            Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) content.get(bodyType)).get("schema");
            Field root = field("body", schema, 0);
            body = root.properties();
        }
        return new Route(method, path, pathParams, queryParams, bodyType, body);
    }

    @SuppressWarnings("unchecked")
    private Field field(String name, Map<String, Object> schema, int depth) {
        if (schema == null) {
            return new Field(name, "string", Map.of());
        }
        if (schema.get("$ref") instanceof String ref) {
            schema = (Map<String, Object>) schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
            if (schema == null) {
                return new Field(name, "string", Map.of());
            }
        }
        String type = (String) schema.getOrDefault("type", "object");
        if ("string".equals(type) && schema.get("format") instanceof String format
                && (format.equals("uuid") || format.startsWith("date"))) {
            type = format;
        } else if ("integer".equals(type)) {
            type = "int64".equals(schema.get("format")) ? "int64" : "int32";
        }
        Map<String, Field> properties = new LinkedHashMap<>();
        if (schema.get("properties") instanceof Map<?, ?> props && depth < 2) {
            props.forEach((k, v) -> properties.put((String) k, field((String) k, (Map<String, Object>) v, depth + 1)));
        }
        if ("array".equals(type)) {
            Map<String, Object> items = (Map<String, Object>) schema.get("items");
            properties.put("[]", field("[]", items, depth + 1));
        }
        return new Field(name, type, properties);
    }
}
