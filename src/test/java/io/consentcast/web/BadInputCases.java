package io.consentcast.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.web.SweepRoutes.Field;
import io.consentcast.web.SweepRoutes.Route;

/**
 * Generates the bad-input cases for one route from its OpenAPI description: for every body property,
 * query and path parameter the values below, plus broken bodies and content types. Each case says
 * whether the value must be refused (4xx) and which names an answer must mention.
 */
final class BadInputCases {

    /** One request. {@code query} is already encoded; {@code body} is the raw text sent. */
    record Case(Route route, String where, String value, boolean mustReject, List<String> names, String path,
            String query, String contentType, String body) {

        String describe() {
            return route + " " + where + " = " + (value.length() > 60 ? value.substring(0, 60) + "..." : value);
        }
    }

    /** A JSON literal to put where a value goes, and whether it must be refused there. */
    record Value(String label, String json, boolean mustReject) {
    }

    /** Values that tell good from bad for one workspace: valid ones to build on, foreign ones to refuse. */
    interface Data {

        /** A valid value for a body property or parameter by name, or null to leave it out. */
        Object base(String name, Field field);

        /** Values of the same kind from another workspace. */
        List<String> foreign(String name, String routePath);

        /** The workspace's own value for a path parameter. */
        String pathValue(String name, String routePath);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "@@sweep-value@@";
    private static final Pattern DATE_NAME = Pattern.compile("from|to|.*At|.*Date|.*Time");
    private static final Pattern ID_NAME = Pattern.compile("id|list|listId|subscriber|before");
    /**
     * A form post to a JSON route: refused (4xx), but by the CSRF filter that guards every form post
     * before any resource or mapper runs, so its answer is not this sweep's problem details.
     */
    static final String FORM_POST = "form content type";
    static final String MEGABYTE = "x".repeat(1 << 20);

    private final Data data;

    BadInputCases(Data data) {
        this.data = data;
    }

    static boolean idShaped(String name, Field f) {
        return ID_NAME.matcher(name).matches() || "uuid".equals(f.type());
    }

    List<Case> of(Route route) {
        List<Case> cases = new ArrayList<>();
        Map<String, Object> base = baseBody(route.body());
        String path = concretePath(route, null, null);
        for (Field p : route.pathParams()) {
            if (!p.name().equals("tenant")) {
                for (String v : pathValues(p, route.path())) {
                    cases.add(new Case(route, "path " + p.name(), v, true, List.of(), concretePath(route, p.name(), v),
                            "", route.jsonBody() ? "application/json" : null, route.jsonBody() ? json(base) : null));
                }
            }
        }
        for (Field q : route.queryParams()) {
            for (Value v : queryValues(q, route.path())) {
                cases.add(new Case(route, "query " + q.name(), v.label(), v.mustReject(), List.of(q.name()), path,
                        q.name() + "=" + v.json(), route.jsonBody() ? "application/json" : null,
                        route.jsonBody() ? json(base) : null));
            }
        }
        if (route.jsonBody()) {
            bodyCases(route, path, base, cases);
        }
        return cases;
    }

    private void bodyCases(Route route, String path, Map<String, Object> first, List<Case> cases) {
        List<String> bodyNames = List.of("body", "json", "content-type");
        String valid = json(first);
        record Broken(String label, String contentType, String body) {
        }
        List<Broken> broken = List.of(new Broken("malformed JSON", "application/json", "{\"a\":"),
                new Broken("empty body", "application/json", ""),
                new Broken("array for the object", "application/json", "[]"),
                new Broken("string for the object", "application/json", "\"text\""),
                new Broken("null body", "application/json", "null"),
                new Broken("5000 nested arrays", "application/json", "[".repeat(5000) + "]".repeat(5000)),
                new Broken("text/plain", "text/plain", valid),
                new Broken(FORM_POST, "application/x-www-form-urlencoded", "a=b"));
        for (Broken b : broken) {
            cases.add(new Case(route, "body", b.label(), true, bodyNames, path, "", b.contentType(), b.body()));
        }
        cases.add(new Case(route, "body", "{}", false, List.of(), path, "", "application/json", "{}"));
        route.body().forEach((name, f) -> {
            for (Value v : values(name, f, route.path())) {
                Map<String, Object> base = baseBody(route.body());
                cases.add(new Case(route, "body " + name, v.label(), v.mustReject(), List.of(name), path, "",
                        "application/json", json(with(base, name, MARK)).replace("\"" + MARK + "\"", v.json())));
            }
            if (f.isObject() && !f.properties().isEmpty() && first.get(name) instanceof Map<?, ?> nested) {
                f.properties().forEach((inner, innerField) -> {
                    for (Value v : values(inner, innerField, route.path())) {
                        Map<String, Object> base = baseBody(route.body());
                        @SuppressWarnings("unchecked")
                        Map<String, Object> n = with((Map<String, Object>) nested, inner, MARK);
                        cases.add(new Case(route, "body " + name + "." + inner, v.label(), v.mustReject(),
                                List.of(name, inner), path, "", "application/json",
                                json(with(base, name, n)).replace("\"" + MARK + "\"", v.json())));
                    }
                });
            }
        });
    }

    /** Bad and unusual values for a body property of this type. */
    List<Value> values(String name, Field f, String routePath) {
        List<Value> v = new ArrayList<>();
        v.add(new Value("null", "null", false));
        v.add(new Value("an object", "{}", true));
        switch (f.type()) {
            case "int32", "int64", "number" -> {
                v.add(new Value("a word", str("abc"), true));
                v.add(new Value("an array", "[]", true));
                v.add(new Value("Integer overflow", "2147483648", "int32".equals(f.type())));
                v.add(new Value("Long overflow", "9223372036854775808", true));
                v.add(new Value("1e400", "1e400", true));
                v.add(new Value("negative", "-1", false));
                v.add(new Value("Integer minimum", "-2147483648", false));
                v.add(new Value("zero", "0", false));
                v.add(new Value("a fraction", "1.5", false));
                v.add(new Value("a boolean", "true", false));
            }
            case "boolean" -> {
                v.add(new Value("a word", str("maybe"), true));
                v.add(new Value("an array", "[]", true));
                v.add(new Value("a number", "2", false));
            }
            case "array" -> {
                v.add(new Value("a string for the array", str("x"), true));
                v.add(new Value("NUL in an item", "[" + str("STOP\u0000P") + "]", true));
                v.add(new Value("1 MB item", "[" + str(MEGABYTE) + "]", true));
                v.add(new Value("an object item", "[{}]", true));
                v.add(new Value("null item", "[null]", false));
                v.add(new Value("numbers", "[1,2]", false));
            }
            case "object" -> {
                v.add(new Value("a string for the object", str("x"), true));
                v.add(new Value("an array", "[]", true));
            }
            default -> textValues(name, f, routePath, v);
        }
        return v;
    }

    private void textValues(String name, Field f, String routePath, List<Value> v) {
        boolean date = DATE_NAME.matcher(name).matches() || f.type().startsWith("date");
        boolean uuid = "uuid".equals(f.type());
        v.add(new Value("an array", "[]", true));
        v.add(new Value("a number", "12345", uuid));
        v.add(new Value("a boolean", "true", uuid));
        v.add(new Value("NUL", str("Sweep\u0000nul"), true));
        v.add(new Value("a control character", str("Sweep\u0007bell"), true));
        v.add(new Value("a lone surrogate", "\"\\ud800x\"", true));
        v.add(new Value("1 MB", str(MEGABYTE), true));
        v.add(new Value("emoji", str("Sweep \uD83D\uDCF0\uD83D\uDC69\u200D\uD83D\uDC67"), uuid || date));
        v.add(new Value("RTL marks", str("Sweep \u202E\u200Ftxt"), uuid || date));
        v.add(new Value("empty", str(""), false));
        v.add(new Value("year 300000", str("+300000-01-01T00:00:00Z"), date || uuid));
        v.add(new Value("year -5000", str("-5000-01-01T00:00:00Z"), date || uuid));
        v.add(new Value("30 February", str("2026-02-30T25:61:00Z"), date || uuid));
        if (idShaped(name, f)) {
            v.add(new Value("not a UUID", str("not-a-uuid"), true));
            v.add(new Value("random UUID", str(UUID.randomUUID().toString()), true));
            for (String foreign : data.foreign(name, routePath)) {
                v.add(new Value("another workspace's " + foreign, str(foreign), true));
            }
        }
    }

    /** Query values, URL-encoded by hand so that broken encodings reach the server too. */
    List<Value> queryValues(Field q, String routePath) {
        boolean number = q.type().startsWith("int") || q.name().equals("page") || q.name().equals("limit");
        boolean date = DATE_NAME.matcher(q.name()).matches();
        List<Value> v = new ArrayList<>();
        Function<String, String> enc = s -> URLEncoder.encode(s, StandardCharsets.UTF_8);
        v.add(new Value("NUL", enc.apply("a\u0000b"), true));
        v.add(new Value("a control character", enc.apply("a\u0007b"), true));
        v.add(new Value("broken percent-encoding", "%ff%fe", false));
        v.add(new Value("2000 characters", "y".repeat(2000), number || date));
        v.add(new Value("emoji", enc.apply("\uD83D\uDCF0"), number || date));
        v.add(new Value("RTL marks", enc.apply("\u202E\u200F"), number || date));
        v.add(new Value("Integer maximum", "2147483647", date));
        v.add(new Value("Integer overflow", "2147483648", number || date));
        v.add(new Value("Long overflow", "9223372036854775808", number || date));
        v.add(new Value("negative", "-1", date));
        v.add(new Value("a word", "abc", number || date));
        for (String d : List.of("300000-01-01", "-5000-01-01", "+300000-01-01T00:00:00Z", "2026-02-30",
                "2026-01-01T25:00:00Z")) {
            v.add(new Value("date " + d, enc.apply(d), date || number));
        }
        if (idShaped(q.name(), q)) {
            v.add(new Value("not a UUID", "not-a-uuid", true));
            v.add(new Value("random UUID", UUID.randomUUID().toString(), true));
            for (String foreign : data.foreign(q.name(), routePath)) {
                v.add(new Value("another workspace's " + foreign, enc.apply(foreign), true));
            }
        }
        return v;
    }

    private List<String> pathValues(Field p, String routePath) {
        List<String> v = new ArrayList<>(List.of("not-a-uuid", UUID.randomUUID().toString(), "a%00b", "%ff%fe",
                URLEncoder.encode("\uD83D\uDCF0", StandardCharsets.UTF_8), "z".repeat(300)));
        data.foreign(p.name(), routePath).forEach(f -> v.add(URLEncoder.encode(f, StandardCharsets.UTF_8)));
        return v;
    }

    private String concretePath(Route route, String param, String value) {
        String path = route.path();
        for (Field p : route.pathParams()) {
            String v = p.name().equals(param) ? value : data.pathValue(p.name(), route.path());
            path = path.replace("{" + p.name() + "}", v);
        }
        return path;
    }

    private Map<String, Object> baseBody(Map<String, Field> properties) {
        Map<String, Object> body = new LinkedHashMap<>();
        properties.forEach((name, f) -> {
            Object v = data.base(name, f);
            if (v != null) {
                body.put(name, v);
            }
        });
        return body;
    }

    private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(name, value);
        return copy;
    }

    static String str(String s) {
        return json(s);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
