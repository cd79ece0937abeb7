package io.consentcast.optin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture;
import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Forms;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The public forms (landing page, unsubscribe page) and the invitation link with bad input in every
 * field: never a 5xx; a refusal is a page in the page's language (the list's: German here) that stores
 * nothing of the workspace.
 */
@QuarkusTest
class PublicFormsBadInputTest {

    @Inject
    DispatchFixture fx;

    @Inject
    RateLimiter limiter;

    @Inject
    PageViews pageViews;

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    /** Raw (already encoded) values for a form field; a valid form around it. */
    private static final Map<String, String> VALUES = values();

    private static Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("NUL", enc("0151\u000023456789"));
        v.put("a control character", enc("0151\u000723456789"));
        v.put("an encoded lone surrogate", "%ED%A0%80");
        v.put("broken percent-encoding", "%ff%fe");
        v.put("1 MB", "9".repeat(1 << 20));
        v.put("emoji", enc("\uD83D\uDCF0"));
        v.put("RTL marks", enc("\u202E\u200F0151"));
        v.put("empty", "");
        v.put("a date out of range", enc("+300000-01-01T00:00:00Z"));
        v.put("Long overflow", "9223372036854775808");
        return v;
    }

    @Test
    void badFormInputAnswersAPageInTheListsLanguageAndStoresNothing() {
        Workspace w = fx.workspace("forms-bad");
        String landing = "/p/" + w.slug() + "/" + w.list();
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (String form : List.of(landing, landing + "/unsubscribe")) {
            List<String> fields = form.endsWith("unsubscribe") ? List.of("phone", "country")
                    : List.of("phone", "country", "consent", "website");
            for (String field : fields) {
                for (Map.Entry<String, String> value : VALUES.entrySet()) {
                    limiter.clear();
                    Response page = given().get(form).then().statusCode(200).extract().response();
                    Map<String, String> body = new LinkedHashMap<>(Map.of("csrf-token", enc(Forms.csrfToken(page.asString())),
                            "phone", enc("0151 " + (23_000_000 + cases)), "country", "DE", "consent", "on"));
                    body.put(field, value.getValue());
                    // The GET above counted a page view; written now, so its periodic flush cannot land between
                    // the two fingerprints (the refused POST itself must write nothing).
                    pageViews.flush();
                    String before = fingerprint(w);
                    Response r = given().cookies(page.getCookies()).urlEncodingEnabled(false)
                            .contentType("application/x-www-form-urlencoded; charset=UTF-8").body(join(body))
                            .post(form);
                    cases++;
                    String what = "POST " + form + " " + field + " = " + value.getKey();
                    check(what, r, failures);
                    if (r.statusCode() >= 400 && !before.equals(fingerprint(w))) {
                        failures.add(what + " was refused but changed the workspace's data");
                    }
                }
            }
        }
        Api joiner = Api.newUser("forms-joiner");
        for (String token : List.of("a%00b", "%ff%fe", enc("\uD83D\uDCF0"), "z".repeat(2000), UUID.randomUUID().toString())) {
            Response r = given().auth().oauth2(joiner.token()).urlEncodingEnabled(false).accept("text/html")
                    .header("Accept-Language", "de").get("/join/" + w.slug() + "/" + token);
            cases++;
            check("GET /join/{tenant}/" + token.substring(0, Math.min(token.length(), 20)), r, failures);
        }
        System.out.printf("Public forms bad-input sweep: %d cases, %d failures%n", cases, failures.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void check(String what, Response r, List<String> failures) {
        int status = r.statusCode();
        String html = r.asString();
        if (status >= 500) {
            failures.add(what + " answered " + status + ": " + html.substring(0, Math.min(300, html.length())));
        } else if (status >= 400 && (!String.valueOf(r.contentType()).startsWith("text/html")
                || !html.contains("lang=\"de\""))) {
            failures.add(what + " answered " + status + " without a German page: "
                    + html.substring(0, Math.min(300, html.length())));
        }
    }

    /** Row counts and digests of the workspace's tenant-owned tables. */
    @SuppressWarnings("unchecked")
    private String fingerprint(Workspace w) {
        return scope.call(w.tenantId(), () -> {
            List<String> tables = em.createNativeQuery("select table_name from information_schema.columns"
                    + " where table_schema = 'public' and column_name = 'tenant_id' order by table_name").getResultList();
            StringBuilder sb = new StringBuilder();
            for (String t : tables) {
                sb.append(t).append(':').append(em.createNativeQuery("select count(*) || ':' || coalesce(md5(string_agg("
                        + "md5(x::text), '' order by md5(x::text))), '-') from " + t + " x").getSingleResult()).append(',');
            }
            return sb.toString();
        });
    }

    private static String join(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
