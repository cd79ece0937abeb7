package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.consentcast.testsupport.Tokens;
import io.consentcast.web.BadInputCases.Case;
import io.consentcast.web.SweepRoutes.Field;
import io.consentcast.web.SweepRoutes.Route;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Sends hundreds of malformed, oversized, out-of-range and foreign values to every API route of the
 * application's own OpenAPI document (routes added later are covered without editing this test), as
 * the workspace's owner, and proves for each: never a 5xx; values that cannot be right are refused
 * with 4xx; every 4xx is RFC 9457 problem details that name the offending field or parameter; a
 * refused request changed none of the workspace's rows. CSV imports belong to their own tests.
 */
@QuarkusTest
class BadInputSweepTest {

    @Inject
    DispatchFixture fx;

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    /** Ids and names of one workspace's things. */
    record Things(String listId, String listSlug, String subscriber, String issue, String member, String invitation,
            String activity) {
    }

    @Test
    void noBadInputAnswersAServerErrorOrStoresAnything() {
        long started = System.nanoTime();
        Workspace a = fx.workspace("sweep-a");
        Things own = things(a, a.list());
        Workspace b = fx.workspace("sweep-b");
        b.owner().req().body(Fixtures.germanList("fremd", "FREMD")).post("/api/tenants/" + b.slug() + "/lists")
                .then().statusCode(201);
        Things foreign = things(b, "fremd");
        String fingerprintSql = fingerprintSql();

        BadInputCases generator = new BadInputCases(new SweepData(a, own, foreign));
        List<Route> routes = SweepRoutes.api(path -> !path.endsWith("/imports"));
        assertTrue(routes.size() >= 40, "expected the API routes in the OpenAPI document, found " + routes);
        List<Case> cases = routes.stream().flatMap(r -> generator.of(r).stream()).toList();

        // Per route, the cases that must be refused run as one batch, four at a time, between two
        // fingerprints; the others (which may be accepted and store) one by one, each followed by one.
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
        try {
            for (Route route : routes) {
                List<Case> routeCases = cases.stream().filter(c -> c.route() == route).toList();
                String before = fingerprint(a, fingerprintSql);
                List<Case> refused = routeCases.stream().filter(Case::mustReject).toList();
                pool.submit(() -> refused.parallelStream().forEach(c -> check(c, send(a.owner(), c), failures))).join();
                String after = fingerprint(a, fingerprintSql);
                if (!after.equals(before)) {
                    failures.add(route + ": a batch of refused requests changed the workspace's data");
                }
                for (Case c : routeCases.stream().filter(c -> !c.mustReject()).toList()) {
                    Response r = send(a.owner(), c);
                    check(c, r, failures);
                    String next = fingerprint(a, fingerprintSql);
                    if (r.statusCode() >= 400 && !next.equals(after)) {
                        failures.add(c.describe() + " was refused with " + r.statusCode()
                                + " but changed the workspace's data");
                    }
                    after = next;
                }
            }
        } finally {
            pool.shutdown();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("Bad-input sweep: %d cases on %d routes in %d s, %d failures%n", cases.size(), routes.size(),
                seconds, failures.size());
        assertTrue(cases.size() >= 500, "expected hundreds of cases, generated " + cases.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
                + String.join("\n", failures));
    }

    private static void check(Case c, Response r, List<String> failures) {
        int status = r.statusCode();
        if (status >= 500 || status < 400 && c.mustReject()) {
            failures.add(c.describe() + " answered " + status + ": " + abbreviate(r.asString()));
        } else if (status >= 400 && !c.value().equals(BadInputCases.FORM_POST)) {
            String problem = problemFault(r, c);
            if (problem != null) {
                failures.add(c.describe() + " answered " + status + " " + problem + ": " + abbreviate(r.asString()));
            }
        }
    }

    /** Null when the answer is problem details naming one of the case's names, else what is wrong. */
    static String problemFault(Response r, Case c) {
        String type = r.contentType() == null ? "" : r.contentType();
        if (!type.startsWith("application/problem+json")) {
            return "without problem details (" + type + ")";
        }
        JsonPath body = r.jsonPath();
        if (body.getInt("status") != r.statusCode() || body.getString("title") == null) {
            return "with a problem body whose status or title is wrong";
        }
        if (c.names().isEmpty()) {
            return null;
        }
        String detail = String.valueOf(body.getString("detail")).toLowerCase(Locale.ROOT);
        Map<String, Object> errors = body.getMap("errors");
        for (String name : c.names()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (detail.contains(n)) {
                return null;
            }
            if (errors != null && errors.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT))
                    .anyMatch(k -> k.equals(n) || k.startsWith(n + ".") || k.startsWith(n + "[") || k.endsWith("." + n))) {
                return null;
            }
        }
        return "naming none of " + c.names();
    }

    private static Response send(Api api, Case c) {
        // A fresh token per request: the sweep outlives a token's five minutes on a busy machine.
        var req = given().auth().oauth2(Tokens.of(api.subject(), api.email())).urlEncodingEnabled(false).redirects().follow(false)
                .accept("application/json");
        if (c.contentType() == null && c.route().method() != io.restassured.http.Method.GET) {
            req = req.contentType("application/json");
        } else if (c.contentType() != null) {
            req = c.contentType().contains("form") ? req.contentType(c.contentType()).body(c.body())
                    : req.contentType(c.contentType()).body(c.body().getBytes(StandardCharsets.UTF_8));
        }
        String url = c.path() + (c.query().isEmpty() ? "" : "?" + c.query());
        return req.request(c.route().method(), url);
    }

    private Things things(Workspace w, String listSlug) {
        Api owner = w.owner();
        String base = "/api/tenants/" + w.slug();
        String listId = owner.req().get(base + "/lists/" + listSlug).then().statusCode(200).extract().path("id");
        fx.confirmed(w, DispatchFixture.number());
        String subscriber = owner.req().get(base + "/subscribers").then().statusCode(200).extract().path("items[0].id");
        String issue = fx.draft(w, "Sweep draft");
        Api editor = Api.newUser("sweep-editor");
        owner.addMember(w.slug(), editor, "EDITOR");
        String member = owner.req().get(base + "/members").then().statusCode(200).extract()
                .path("find { it.email == '" + editor.email() + "' }.id");
        String invitation = owner.req().body(Map.of("email", "invited-" + UUID.randomUUID() + "@example.org",
                "role", "VIEWER")).post(base + "/invitations").then().statusCode(201).extract().path("id");
        String activity = org.awaitility.Awaitility.await().until(() -> owner.req().get(base + "/activity").then()
                .statusCode(200).extract().<String>path("[0].id"), java.util.Objects::nonNull);
        return new Things(listId, listSlug, subscriber, issue, member, invitation, activity);
    }

    /** One query that digests every row of every tenant-owned table the workspace can see. */
    @SuppressWarnings("unchecked")
    private String fingerprintSql() {
        List<String> tables = scope.platform(() -> em.createNativeQuery("select table_name from"
                + " information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'"
                + " order by table_name").getResultList());
        return "select string_agg(h, ',') from (" + String.join(" union all ", tables.stream()
                .map(t -> "select '" + t + ":' || count(*) || ':' || coalesce(md5(string_agg(md5(x::text), ''"
                        + " order by md5(x::text))), '-') as h from " + t + " x")
                .toList()) + ") digests";
    }

    private String fingerprint(Workspace w, String sql) {
        return scope.call(w.tenantId(), () -> String.valueOf(em.createNativeQuery(sql).getSingleResult()));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Good values of workspace A, and B's things as the foreign ids. */
    private record SweepData(Workspace a, Things own, Things foreign) implements BadInputCases.Data {

        @Override
        public Object base(String name, Field f) {
            String unique = UUID.randomUUID().toString().substring(0, 8);
            Map<String, Object> known = new HashMap<>();
            known.put("slug", "sweep-" + unique);
            known.put("keyword", "SW" + java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> String.valueOf((char) ('A' + java.util.concurrent.ThreadLocalRandom.current().nextInt(26))))
                    .collect(java.util.stream.Collectors.joining()));
            known.put("email", "sweep-" + unique + "@example.org");
            known.put("language", "de");
            known.put("locale", "de");
            known.put("timezone", "Europe/Berlin");
            known.put("purpose", "MARKETING");
            known.put("category", "MARKETING");
            known.put("consentText", Fixtures.CONSENT_TEXT);
            known.put("text", Fixtures.CONSENT_TEXT);
            known.put("imprintUrl", "https://example.org/impressum");
            known.put("privacyUrl", "https://example.org/datenschutz");
            known.put("status", "OPEN");
            known.put("role", "EDITOR");
            known.put("list", own.listSlug());
            known.put("listId", own.listId());
            known.put("template", new HashMap<>(Map.of("name", "newsletter_issue", "language", "de",
                    "parameters", List.of("Sweep"))));
            known.put("type", "sandbox");
            known.put("sendingHoursStart", "00:00");
            known.put("sendingHoursEnd", "00:00");
            known.put("accentColor", "#336699");
            known.put("stopWords", List.of("STOPP"));
            known.put("scheduledAt", null);
            known.put("token", "sweep-token");
            known.put("sendingNumber", ""); // a list's number: the workspace's default
            known.put("category", "MARKETING");
            if (known.containsKey(name)) {
                return known.get(name);
            }
            return switch (f.type()) {
                case "string" -> "Sweep";
                case "int32", "int64", "number" -> 24;
                case "boolean" -> true;
                default -> null;
            };
        }

        @Override
        public List<String> foreign(String name, String routePath) {
            return switch (name) {
                case "list" -> List.of(foreign.listId(), foreign.listSlug());
                case "listId" -> List.of(foreign.listId());
                case "subscriber" -> List.of(foreign.subscriber());
                case "before" -> List.of(foreign.activity());
                case "id" -> List.of(byResource(foreign, routePath));
                default -> List.of();
            };
        }

        @Override
        public String pathValue(String name, String routePath) {
            return switch (name) {
                case "tenant" -> a.slug();
                case "list" -> own.listSlug();
                default -> byResource(own, routePath);
            };
        }

        private static String byResource(Things t, String routePath) {
            if (routePath.contains("/issues/")) {
                return t.issue();
            } else if (routePath.contains("/subscribers/")) {
                return t.subscriber();
            } else if (routePath.contains("/members/")) {
                return t.member();
            } else if (routePath.contains("/invitations/")) {
                return t.invitation();
            }
            return UUID.randomUUID().toString();
        }
    }
}
