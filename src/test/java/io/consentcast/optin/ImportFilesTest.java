package io.consentcast.optin;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Files an import cannot use as a whole get a 400 with RFC 9457 problem details that name the field and the
 * line, and leave nothing behind (no job, no subscriber); files that only look odd (BOM, another encoding
 * named, semicolons) are imported.
 */
@QuarkusTest
class ImportFilesTest {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    record BadFile(String name, byte[] body, String contentType, String field, Integer line, String detail,
            String query) {

        BadFile(String name, byte[] body, String contentType, String field, Integer line, String detail) {
            this(name, body, contentType, field, line, detail, "");
        }
    }

    @Test
    void everyUnusableFileIsRefusedNamingTheLineAndNothingIsStored() {
        Api owner = Api.newUser("importbad");
        String slug = owner.createWorkspace("importbad");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);
        String utf8 = "text/csv; charset=UTF-8";
        StringBuilder tooMany = new StringBuilder("phone\n");
        for (int i = 0; i < 50_001; i++) {
            tooMany.append(String.format("+49151%08d%n", i));
        }
        byte[] huge = new byte[16 * 1024 * 1024 + 1];
        Arrays.fill(huge, (byte) 'x');
        byte[] garbage = new byte[4096];
        new Random(13).nextBytes(garbage);
        List<BadFile> cases = List.of(
                new BadFile("empty", new byte[0], utf8, "file", null, "The file is empty."),
                new BadFile("blank", "\n \n".getBytes(StandardCharsets.UTF_8), utf8, "file", null, "The file is empty."),
                new BadFile("header only", "phone,source\n".getBytes(StandardCharsets.UTF_8), utf8, "file", 2,
                        "header row but no readers"),
                new BadFile("no phone column", "number\n0151 00000009\n".getBytes(StandardCharsets.UTF_8), utf8, "file",
                        1, "The file needs a header row with a column named phone (optional columns: opted_in_at,"
                                + " source, consent_text). Line 1 has: number"),
                new BadFile("unclosed quote", "phone,source\n0151 00000031,ok\n0151 00000032,\"unclosed\n0151 00000033,x\n"
                        .getBytes(StandardCharsets.UTF_8), utf8, "file", 3, "Line 3: a quoted field is not closed"),
                new BadFile("quote inside a field", "phone,source\n0151 00000031,\"a\"b\n".getBytes(StandardCharsets.UTF_8),
                        utf8, "file", 2, "Line 2 could not be read as CSV"),
                new BadFile("column twice", "phone,source,PHONE\n0151 00000031,a,b\n".getBytes(StandardCharsets.UTF_8),
                        utf8, "file", 1, "names the column PHONE twice"),
                new BadFile("windows-1252 sent as UTF-8", "phone,source\n0151 00000041,ok\n0151 00000042,Müller\n"
                        .getBytes(CP1252), utf8, "file", 3, "Line 3 is not valid UTF-8 text"),
                new BadFile("NUL byte", "phone\n0151 00000051\n0151\u0000 00000052\n".getBytes(StandardCharsets.UTF_8),
                        utf8, "file", 3, "Line 3 contains a NUL byte"),
                new BadFile("control character", "phone\n0151 \u0007 00000052\n".getBytes(StandardCharsets.UTF_8),
                        utf8, "file", 2, "Line 2 contains a control character"),
                new BadFile("binary garbage", garbage, utf8, "file", null, "is not valid UTF-8 text"),
                new BadFile("UTF-16", "phone\n0151 00000061\n".getBytes(StandardCharsets.UTF_16), utf8, "file", 1,
                        "Line 1 is not valid UTF-8 text"),
                new BadFile("too many rows", tooMany.toString().getBytes(StandardCharsets.US_ASCII), utf8, "file", 50_002,
                        "The file has more than 50,000 rows (line 50,002 is one too many)"),
                new BadFile("too large", huge, utf8, "file", null, "The file is larger than 16 MB"),
                new BadFile("unknown charset", "phone\n0151 00000071\n".getBytes(StandardCharsets.UTF_8),
                        utf8, "charset", null, "Unknown encoding \"klingon\"", "?charset=klingon"),
                new BadFile("dryRun not a boolean", "phone\n0151 00000071\n".getBytes(StandardCharsets.UTF_8),
                        utf8, "dryRun", null, "dryRun must be true or false.", "?dryRun=maybe"));
        for (BadFile c : cases) {
            JsonPath problem = owner.req().contentType(c.contentType()).body(c.body())
                    .post("/api/tenants/" + slug + "/lists/morgen/imports" + c.query()).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString(c.detail()))
                    .body("errors." + c.field(), containsString(c.detail()))
                    .extract().jsonPath();
            if (c.line() != null) {
                assertEquals(c.line(), problem.getInt("line"), c.name());
                assertTrue(problem.getString("detail").matches("(?s).*[Ll]ine [0-9,]+.*"), c.name());
            } else if (!c.name().equals("binary garbage")) {
                assertNull(problem.get("line"), c.name());
            }
        }
        owner.req().get("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(200)
                .body("size()", equalTo(0));
        owner.req().get("/api/tenants/" + slug + "/subscribers").then().body("total", equalTo(0));
    }

    @Test
    void aByteOrderMarkAnotherNamedEncodingAndSemicolonsAreImported() {
        Api owner = Api.newUser("importodd");
        String slug = owner.createWorkspace("importodd");
        owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201);

        byte[] bom = "\uFEFFphone,source\n0151 00000081,Excel\n".getBytes(StandardCharsets.UTF_8);
        JsonPath withBom = Imports.await(owner, Imports.submit(owner, slug, "morgen", bom, "text/csv; charset=UTF-8", false),
                Duration.ofSeconds(60));
        assertEquals(1, withBom.getInt("imported"), "the BOM does not hide the phone column");

        byte[] latin = "phone,source\n0151 00000082,Gewinnspiel Müller & Söhne\n".getBytes(CP1252);
        JsonPath windows = Imports.await(owner, Imports.submit(owner, slug, "morgen", latin,
                "text/csv; charset=windows-1252", false), Duration.ofSeconds(60));
        assertEquals(1, windows.getInt("imported"));
        String id = owner.req().get("/api/tenants/" + slug + "/subscribers").then().extract()
                .path("items.find { it.phone == '+4915100000082' }.id");
        owner.req().get("/api/tenants/" + slug + "/subscribers/" + id + "/events").then()
                .body("find { it.type == 'IMPORTED' }.reason", containsString("source: Gewinnspiel Müller & Söhne"));

        // The encoding can also be named as a query parameter; German Excel separates with semicolons.
        byte[] semicolons = "Phone;opted_in_at;source\n0151 00000083;2024-05-31;Straßenfest\n\"0151 00000084\";;\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        String location = owner.req().contentType("text/csv").queryParam("charset", "ISO-8859-1").body(semicolons)
                .post("/api/tenants/" + slug + "/lists/morgen/imports").then().statusCode(202)
                .body("state", equalTo("QUEUED")).body("rows", equalTo(2)).body("failure", nullValue())
                .extract().header("Location");
        JsonPath semi = Imports.await(owner, location, Duration.ofSeconds(60));
        assertEquals(2, semi.getInt("imported"));
        owner.req().get("/api/tenants/" + slug + "/subscribers").then().body("total", equalTo(4));
    }
}
