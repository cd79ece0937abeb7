package io.consentcast.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.consentcast.dispatch.DispatchEngine;
import io.consentcast.testsupport.Api;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every page a member or a reader can open, in German and in English: found in the application's own JAX-RS
 * resources (so a page added later is rendered here or the test fails until it is classified), opened in a
 * German workspace full of data (sample readers in every state, a sent issue, a draft with an English template,
 * an import with rejected rows, an invitation), and checked for what a user would notice: a message code
 * instead of a text (a missing key), an English UI word on a German page (a German one on an English page), a
 * raw ISO timestamp. The bundles themselves must have the same keys in both languages.
 */
@QuarkusTest
class PageLanguagesTest {

    @Inject
    DispatchEngine engine;

    /** English UI words that must not appear on a German page (whole words, case-sensitive). */
    static final List<String> ENGLISH_ONLY = List.of("Save", "Cancel", "Delete", "Edit", "Send", "Sent", "Draft",
            "Search", "Back", "Next", "Previous", "Settings", "Subscribers", "Subscriber", "Subscribe", "Unsubscribe",
            "Readers", "Members", "Invite", "Issues", "Lists", "Templates", "Confirmed", "Pending", "Withdrawn",
            "Excluded", "Delivered", "Failed", "Reason", "Schedule", "Scheduled", "Preview", "Download", "Upload",
            "Close", "Remove", "Owner", "Viewer", "Error", "Please", "Something", "nothing", "the", "and", "your",
            "with", "from", "has been", "You", "This", "There", "CONFIRMED", "PENDING", "WITHDRAWN", "EXCLUDED",
            "SENT", "FAILED", "DRAFT", "OWNER", "EDITOR", "VIEWER", "QUEUED", "RUNNING", "APPROVED", "sent",
            "delivered", "read", "invalid phone number", "duplicate in this file", "already");

    /** German UI words that must not appear on an English page. */
    static final List<String> GERMAN_ONLY = List.of("Speichern", "Abbrechen", "Löschen", "Bearbeiten", "Senden",
            "Gesendet", "Entwurf", "Suchen", "Zurück", "Weiter", "Einstellungen", "Abonnenten", "Leser", "Ausgaben",
            "Vorlagen", "Bestätigt", "Ausgeschlossen", "Zugestellt", "Fehlgeschlagen", "Grund", "Vorschau", "Bitte",
            "Sie", "und", "nicht", "Eigentümer", "Betrachter", "Redakteur", "ungültige");

    /** An ISO timestamp as Java prints one: 2026-11-30T10:35... */
    static final Pattern ISO = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d");

    /** A message code that no bundle resolved ({@code dispatch.blocked-template-missing}). */
    static final Pattern CODE = Pattern.compile(
            "\\b(?:dispatch|optin|consent|lists|whatsapp|errors|tenancy|request|flash|directory|timezone|slug|locale)\\.[a-z][a-z-]+[a-z]\\b");

    /** GET routes that are no page (files, redirects, JSON), each with the reason. */
    static final Map<String, String> NOT_PAGES = Map.ofEntries(
            Map.entry("/t/{tenant}/subscribers/{id}/export", "JSON download"),
            Map.entry("/t/{tenant}/audit/export", "CSV/NDJSON download"),
            Map.entry("/t/{tenant}/activity/export", "CSV download"),
            Map.entry("/t/{tenant}/audit/manifest", "JSON download"),
            Map.entry("/t/{tenant}/issues/{id}/progress", "JSON for the page's script"),
            Map.entry("/t/{tenant}/lists/{list}/qr.svg", "image"),
            Map.entry("/t/{tenant}/lists/{list}/qr.png", "image"),
            Map.entry("/brand/{tenant}/logo", "image"),
            Map.entry("/t/{tenant}/media/{id}", "an uploaded header file (image, video, PDF)"),
            Map.entry("/theme/accent-{hex}.css", "style sheet"),
            Map.entry("/lang/{code}", "redirect that sets the language"),
            Map.entry("/r/{token}", "redirect of an issue's link button to the article (counts a click)"),
            Map.entry("/login", "redirect to the identity provider or the app"),
            Map.entry("/signup", "redirect"),
            Map.entry("/signup/register", "redirect"),
            Map.entry("/app", "redirect to the workspace or the new-workspace page"));

    /**
     * Every message of every typed bundle ({@code @MessageBundle}) has a German text in {@code messages/<bundle>_de}
     * and an English one (in {@code _en} or inline in {@code @Message}); the error texts of {@code i18n/} exist in both.
     * A key missing in German would show the English text on a German page.
     */
    @Test
    void everyMessageHasAGermanAndAnEnglishText() throws IOException {
        List<String> missing = new ArrayList<>();
        int bundles = 0;
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.consentcast")) {
            if (!type.isAnnotatedWith(MessageBundle.class)) {
                continue;
            }
            bundles++;
            Class<?> bundle = type.reflect();
            String name = bundle.getAnnotation(MessageBundle.class).value();
            Set<String> en = keys("messages/" + name + "_en.properties");
            Set<String> de = keys("messages/" + name + "_de.properties");
            for (Method m : bundle.getDeclaredMethods()) {
                Message message = m.getAnnotation(Message.class);
                if (message == null) {
                    continue;
                }
                String key = Message.DEFAULT_NAME.equals(message.key()) || Message.ELEMENT_NAME.equals(message.key())
                        ? m.getName() : message.key();
                boolean inline = !message.value().isEmpty() && !Message.DEFAULT_VALUE.equals(message.value());
                if (!de.contains(key)) {
                    missing.add(name + "." + key + ": no German text");
                }
                if (!en.contains(key) && !inline) {
                    missing.add(name + "." + key + ": no English text");
                }
            }
        }
        assertTrue(bundles >= 6, "message bundles found: " + bundles);
        for (String bundle : bundles("i18n")) {
            Set<String> en = keys("i18n/" + bundle + "_en.properties");
            Set<String> de = keys("i18n/" + bundle + "_de.properties");
            en.stream().filter(k -> !de.contains(k)).forEach(k -> missing.add("i18n/" + bundle + " " + k + ": no German text"));
            de.stream().filter(k -> !en.contains(k)).forEach(k -> missing.add("i18n/" + bundle + " " + k + ": no English text"));
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    @Test
    void everyPageSpeaksTheUsersLanguageWithReadableDates() {
        PageLanguagesWorld.World w = PageLanguagesWorld.world(engine::runOnce);
        List<PageLanguagesWorld.Page> pages = new ArrayList<>();
        Set<String> routes = getRoutes();
        assertTrue(routes.size() >= 30, "expected the page routes of every feature, found " + routes);
        List<String> unclassified = new ArrayList<>();
        for (String route : routes) {
            if (NOT_PAGES.containsKey(route)) {
                continue;
            }
            Function<String, List<PageLanguagesWorld.Page>> pagesOf = w.urls.get(route);
            if (pagesOf == null) {
                unclassified.add(route);
                continue;
            }
            for (String lang : List.of("de", "en")) {
                pages.addAll(pagesOf.apply(lang));
            }
        }
        assertTrue(unclassified.isEmpty(), "GET routes neither rendered here nor listed as no page: " + unclassified
                + " (add them to NOT_PAGES with a reason, or give the test a URL for them)");

        List<String> problems = new ArrayList<>();
        for (PageLanguagesWorld.Page p : pages) {
            Response r = (p.as() == null ? given() : given().auth().oauth2(p.as().token())).redirects().follow(false)
                    .accept("text/html").cookie(PageContext.LANG_COOKIE, p.lang()).header("Accept-Language", p.lang())
                    .get(p.url());
            if (r.statusCode() != 200) {
                problems.add(p.route() + " [" + p.lang() + "] " + p.url() + " -> " + r.statusCode());
                continue;
            }
            problems.addAll(check(p.route() + " [" + p.lang() + "]", r.asString(), p.lang()));
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(pages.size() >= 50, "rendered " + pages.size() + " pages");
    }

    /** What the draft with the English template, the sample data and the dates look like, in words. */
    @Test
    void theDetailsAUserReads() {
        PageLanguagesWorld.World w = PageLanguagesWorld.world(engine::runOnce);
        Response draft = page(w.owner, "/t/" + w.slug + "/issues/" + w.englishDraft, "de");
        assertTrue(draft.asString().contains("id=\"template-language\""), "warning before sending: " + draft.asString());
        assertTrue(draft.asString().contains("ist auf Englisch, die Liste „Beispiel-Newsletter“ aber auf Deutsch"),
                draft.asString());
        String sent = page(w.owner, "/t/" + w.slug + "/issues/" + w.sentIssue, "de").asString();
        assertTrue(!sent.contains("id=\"template-language\""), "no warning when the languages agree");
        // The deliveries in words: the state column and WhatsApp's status, never SENT (read) or EXCLUDED.
        assertTrue(sent.contains("pill-EXCLUDED\">Ausgeschlossen</span>") && sent.contains("pill-SENT\">Gesendet"), sent);
        String job = page(w.owner, "/t/" + w.slug + "/lists/sample-news/import/jobs/" + w.importJob, "de").asString();
        assertTrue(job.contains("ungültige Telefonnummer") && job.contains("doppelt in dieser Datei"), job);
        String team = page(w.owner, "/t/" + w.slug + "/team", "de").asString();
        assertTrue(team.contains("Eigentümer") && team.contains("Redakteur"), team);
        // 30. Nov. 2026, 10:35 / 30 Nov 2026, 10:35: day, month in words, year, time in the workspace's zone
        Pattern german = Pattern.compile("\\d{1,2}\\. [A-ZÄÖÜ][a-zäöü]{2,3}\\.? \\d{4}, \\d\\d:\\d\\d");
        Pattern english = Pattern.compile("\\d{1,2} [A-Z][a-z]{2,3} \\d{4}, \\d\\d:\\d\\d");
        String subscriber = "/t/" + w.slug + "/subscribers/" + w.subscriber;
        assertTrue(german.matcher(page(w.owner, subscriber, "de").asString()).find(), "German date on the record");
        assertTrue(english.matcher(page(w.owner, subscriber, "en").asString()).find(), "English date on the record");
        // New lists default to the workspace's language (German), whatever the user's page language.
        String form = page(w.owner, "/t/" + w.slug + "/lists/new", "en").asString();
        assertTrue(form.contains("<option value=\"de\" selected>"), form);
        // The English list's landing page of a British workspace preselects the UK and shows a British example.
        String british = given().get("/p/" + w.britishSlug + "/morning").asString();
        assertTrue(british.contains("<option value=\"GB\" selected>"), british);
        assertEquals("With or without country code, e.g. 07400 123456 or +44 7400 123456.", hint(british));
        String landing = given().get("/p/" + w.slug + "/sample-news").asString();
        assertTrue(landing.contains("<option value=\"DE\" selected>"), landing);
        assertEquals("Mit oder ohne Ländervorwahl, z. B. 01512 3456789 oder +49 1512 3456789.", hint(landing));
    }

    @Test
    void errorPagesSpeakTheUsersLanguage() {
        PageLanguagesWorld.World w = PageLanguagesWorld.world(engine::runOnce);
        Map<String, String> german = new LinkedHashMap<>();
        Response notFound = page(w.owner, "/t/" + w.slug + "/issues/" + java.util.UUID.randomUUID(), "de");
        assertEquals(404, notFound.statusCode());
        german.put("404", notFound.asString());
        Response unknownPath = page(w.owner, "/t/" + w.slug + "/nothing-here", "de");
        assertEquals(404, unknownPath.statusCode());
        german.put("404 unknown path", unknownPath.asString());
        Response forbidden = page(w.viewer, "/t/" + w.slug + "/settings", "de");
        assertEquals(403, forbidden.statusCode());
        german.put("403", forbidden.asString());
        Response method = page(w.owner, "/t/" + w.slug + "/sample-data", "de");
        assertEquals(405, method.statusCode());
        german.put("405", method.asString());
        List<String> problems = new ArrayList<>();
        german.forEach((status, html) -> problems.addAll(check("error " + status, html, "de")));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(german.get("404").contains("Hier gibt es nichts."), german.get("404"));
        assertTrue(german.get("405").contains("Diese Adresse nimmt das nicht an."), german.get("405"));
        String english = page(w.owner, "/t/" + w.slug + "/nothing-here", "en").asString();
        assertTrue(english.contains("There is nothing here.") && check("error 404", english, "en").isEmpty(), english);
    }

    /** The checks find what they are for, and leave content marked as English alone. */
    @Test
    void theChecksFindEnglishWordsCodesAndTimestamps() {
        String page = "<html><head><title>Save</title></head><body><h1>Einstellungen</h1><button>Save</button>"
                + "<p>Geplant: 2026-11-30T10:35:14.981139+01:00</p><p>dispatch.blocked-template-missing</p>"
                + "<p lang=\"en\">New issue: Monday, sent by the team</p><time datetime=\"2026-11-30T10:35:14Z\">30. Nov. 2026, 10:35</time>"
                + "<a title=\"Delete\" href=\"/x\">x</a></body></html>";
        List<String> problems = check("sample", page, "de");
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("raw ISO timestamp")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("dispatch.blocked-template-missing")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("\"Save\"")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("\"Delete\"")), problems.toString());
        assertTrue(check("sample", "<p>Speichern und weiter</p>", "en").size() == 2, "German words on an English page");
        assertTrue(check("sample", "<p>Gesendet am 30. Nov. 2026, 10:35</p>", "de").isEmpty());
    }

    // --- checks ---

    static List<String> check(String where, String html, String lang) {
        List<String> problems = new ArrayList<>();
        String text = visibleText(html);
        Matcher iso = ISO.matcher(text);
        if (iso.find()) {
            problems.add(where + ": raw ISO timestamp …" + around(text, iso.start()) + "…");
        }
        Matcher code = CODE.matcher(text);
        if (code.find()) {
            problems.add(where + ": message code instead of a text: " + code.group());
        }
        for (String word : "de".equals(lang) ? ENGLISH_ONLY : GERMAN_ONLY) {
            Matcher m = Pattern.compile("(?<![\\p{L}\\-_/.])" + Pattern.quote(word) + "(?![\\p{L}\\-_])").matcher(text);
            if (m.find()) {
                problems.add(where + ": " + ("de".equals(lang) ? "English" : "German") + " word \"" + word + "\" in …"
                        + around(text, m.start()) + "…");
            }
        }
        return problems;
    }

    /**
     * What a user reads: text and the attributes shown as text (title, aria-label, placeholder, alt, the
     * confirmation questions), without scripts, styles and content marked as written in English ({@code lang="en"},
     * such as an English template's text or Meta's own words).
     */
    static String visibleText(String html) {
        String s = html.replaceAll("(?is)<script\\b.*?</script>", " ").replaceAll("(?is)<style\\b.*?</style>", " ")
                .replaceAll("(?is)<head\\b.*?</head>", " ");
        s = s.replaceAll("(?is)<(\\w+)\\b[^>]*\\blang=\"en\"[^>]*>.*?</\\1>", " ");
        StringBuilder attributes = new StringBuilder();
        Matcher a = Pattern.compile("(?i)\\b(?:title|aria-label|placeholder|alt|data-confirm)=\"([^\"]*)\"").matcher(s);
        while (a.find()) {
            attributes.append(' ').append(a.group(1));
        }
        s = s.replaceAll("(?s)<[^>]*>", " ") + attributes;
        return s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&nbsp;", " ").replaceAll("\\s+", " ");
    }

    private static String hint(String html) {
        Matcher m = Pattern.compile("<p class=\"hint\" id=\"phone-hint\">([^<]*)</p>").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 60));
    }

    private static Response page(Api as, String url, String lang) {
        return given().auth().oauth2(as.token()).redirects().follow(false).accept("text/html")
                .cookie(PageContext.LANG_COOKIE, lang).get(url);
    }

    // --- the routes ---

    /** Every GET route of the application's JAX-RS resources outside /api, /webhooks and /q. */
    static Set<String> getRoutes() {
        Set<String> routes = new LinkedHashSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.consentcast")) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(GET.class)) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = ("/" + base + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                if (!path.startsWith("/api") && !path.startsWith("/webhooks") && !path.startsWith("/q/")) {
                    routes.add(path);
                }
            }
        }
        return routes;
    }

    // --- the bundles ---

    private static Set<String> bundles(String folder) throws IOException {
        Set<String> names = new TreeSet<>();
        var url = PageLanguagesTest.class.getClassLoader().getResource(folder + "/errors_en.properties");
        java.nio.file.Path dir = java.nio.file.Path.of(java.net.URI.create(url.toString())).getParent();
        try (var files = java.nio.file.Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_en.properties"))
                    .forEach(n -> names.add(n.substring(0, n.length() - "_en.properties".length())));
        }
        assertTrue(names.size() >= 5, folder + ": " + names);
        return names;
    }

    private static Set<String> keys(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = PageLanguagesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, "missing " + resource);
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return new TreeSet<>(p.stringPropertyNames());
    }
}
