package io.consentcast.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The real end-to-end journey: Keycloak's own registration page, the packaged application in production mode on
 * PostgreSQL, a WireMock playing Meta's Graph API (the journey also posts Meta's signed webhooks), and a real
 * headless Chromium. Each step is one ordered test that ends with a screenshot in
 * {@code target/journey/}; once a step fails, the later ones are skipped (they would only fail for the same
 * reason), and every process is stopped at the end.
 *
 * <p>
 * To add a step: append a method with the next {@code @Order}, act and assert as the user would, finish with
 * {@link #shot(String)}. Keep state the later steps need in fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneyIT {

    static final String PASSWORD = "journey-pass-" + JourneyEnvironment.secret(4);

    JourneyEnvironment env;
    Browser browser;
    Instant began;
    String failedStep;

    // What the steps find out and hand on.
    final String run = Long.toString(System.currentTimeMillis(), 36); // the e2e database keeps earlier runs
    final String ownerEmail = "ada." + run + "@example.com";
    final String teammateEmail = "grace." + run + "@example.com";
    final String slug = "morning-brief-" + run;
    String invitationLink;
    // The WhatsApp side: Meta's ids for the workspace's number (phone-number ids are unique across workspaces),
    // the reader's number and what the landing page and the subscriber record tell.
    final String phoneNumberId = String.valueOf(System.currentTimeMillis());
    final String wabaId = "1" + phoneNumberId;
    final String readerDigits = "4915123456789";
    final String secondReaderDigits = "4917612345678";
    final String listSlug = "morgen";
    final String keyword = "MORGEN";
    String confirmationCode;
    String subscriberPath;
    String confirmationWamid;
    String secondIssuePath;

    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failedStep = context.getDisplayName();
            if (browser != null) {
                try {
                    Browser b = browser;
                    System.out.println("[journey] step " + failedStep + " failed at " + b.driver.getCurrentUrl());
                    b.screenshot(JourneyEnvironment.OUT, "failed-" + context.getRequiredTestMethod().getName());
                } catch (RuntimeException e) {
                    System.out.println("[journey] no screenshot of the failure: " + e);
                }
            }
        }
    };

    @BeforeAll
    void startEverything() throws Exception {
        Optional<String> noBrowser = Browser.missing();
        if (noBrowser.isPresent()) {
            // CI must run the journey; elsewhere only this test is skipped, with one line saying why.
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("JourneyIT cannot run with CI=true: " + noBrowser.get());
            }
            System.out.println("[journey] JourneyIT SKIPPED: " + noBrowser.get());
            abort(noBrowser.get());
        }
        began = Instant.now();
        env = new JourneyEnvironment();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything));
        try {
            env.start();
            browser = new Browser(JourneyEnvironment.OUT);
            browser.checkPagesOf(env.appUrl); // every page of the application: no sideways scroll, no ISO timestamp
        } catch (Exception | Error e) {
            stopEverything();
            throw e;
        }
        System.out.printf("[journey] Keycloak and Consentcast ready after %d s%n",
                Duration.between(began, Instant.now()).toSeconds());
    }

    @AfterAll
    synchronized void stopEverything() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (env != null) {
            env.close();
            env = null;
            System.out.printf("[journey] everything stopped after %d s%n",
                    Duration.between(began, Instant.now()).toSeconds());
        }
    }

    @BeforeEach
    void onlyAfterTheEarlierStepsPassed() {
        assumeTrue(failedStep == null, () -> "skipped: the earlier step " + failedStep + " failed");
    }

    /** Checks the page shown ({@link Browser#checkPage()}) and saves its screenshot. */
    void shot(String name) {
        browser.checkPage();
        browser.screenshot(JourneyEnvironment.OUT, name);
    }

    /** What the Helm chart's probes and ServiceMonitor ask for, from the packaged application. */
    @Test
    @Order(1)
    void healthAndMetricsAnswerOnTheManagementPortOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/q/health/started", "/q/health/live", "/q/health/ready")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(env.managementUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("\"UP\""), path + ": " + r.body());
        }
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(env.managementUrl() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "Prometheus metrics");
        // The port the Ingress exposes serves neither: operational data stays inside the cluster.
        for (String path : List.of("/q/metrics", "/q/health/ready")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(env.appUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), path + " on the public port");
        }
    }

    @Test
    @Order(10)
    void homePageInvitesToStartFree() {
        browser.open(env.appUrl + "/");
        browser.awaitText("Start free");
        shot("01-home");
    }

    @Test
    @Order(20)
    void startFreeOpensKeycloaksRegistrationPage() {
        browser.click(By.linkText("Start free"));
        browser.find(By.id("kc-register-form"));
        assertTrue(browser.driver.getCurrentUrl().startsWith(env.realmUrl + "/"), browser.driver.getCurrentUrl());
        assertTrue(browser.text().contains("Register"), browser.text());
        shot("02-keycloak-registration");
    }

    @Test
    @Order(30)
    void aWeakPasswordIsRefusedByTheRealmsPolicy() {
        fillRegistration(ownerEmail, "Ada", "Lovelace", "short-pw");
        browser.awaitText("minimum length 10");
        shot("03-weak-password-refused");
    }

    @Test
    @Order(40)
    void registeringLeadsToCreateYourWorkspace() {
        fillRegistration(ownerEmail, "Ada", "Lovelace", PASSWORD);
        browser.awaitPage(env.appUrl, "/app/new");
        browser.awaitText("Create your workspace");
        assertTrue(browser.text().contains("Ada Lovelace"), "the signed-in user is shown: " + browser.text());
        shot("04-create-workspace");
    }

    @Test
    @Order(50)
    void creatingTheWorkspaceOpensItsDashboard() {
        browser.type(By.id("name"), "Morning Brief");
        browser.type(By.id("slug"), slug);
        browser.choose(By.id("locale"), "English");
        browser.choose(By.id("timezone"), "Europe/Berlin");
        browser.awaitText("/p/" + slug); // the public address preview follows the typing
        browser.click(By.cssSelector("form[action='/app/new'] button[type=submit]"));
        browser.awaitPage(env.appUrl, "/t/" + slug);
        browser.awaitText("Your workspace is ready.");
        String page = browser.text();
        assertTrue(page.contains("Morning Brief"), page);
        assertTrue(page.contains("Owner"), page);
        shot("05-dashboard");
    }

    @Test
    @Order(60)
    void theTeamPageListsTheOwner() {
        browser.click(By.linkText("Team"));
        browser.awaitPage(env.appUrl, "/t/" + slug + "/team");
        browser.awaitText("Members");
        String page = browser.text();
        assertTrue(page.contains("Ada Lovelace") && page.contains(ownerEmail), page);
        shot("06-team");
    }

    @Test
    @Order(70)
    void invitingATeammateShowsTheLinkOnce() {
        browser.type(By.id("email"), teammateEmail);
        new Select(browser.find(By.id("role"))).selectByValue("EDITOR");
        browser.click(By.xpath("//button[normalize-space()='Create invitation']"));
        browser.awaitPage(env.appUrl, "/t/" + slug + "/team/invitations");
        browser.awaitText("shown only once");
        invitationLink = browser.find(By.cssSelector("input.secret-link")).getAttribute("value");
        assertTrue(invitationLink.startsWith(env.appUrl + "/join/" + slug + "/"), invitationLink);
        shot("07-invitation-link");

        browser.open(env.appUrl + "/t/" + slug + "/team");
        browser.awaitText("Open invitations");
        assertTrue(browser.text().contains(teammateEmail), browser.text());
        assertFalse(browser.driver.getPageSource().contains(invitationLink), "the link is shown only once");
    }

    /**
     * Keycloak's tokens have expired by now (they live {@value JourneyEnvironment#TOKEN_LIFESPAN_SECONDS} s here,
     * 5 minutes in production): a form sent then still goes through, the session is refreshed on the way.
     */
    @Test
    @Order(75)
    void aFormSentAfterTheTokensExpiredStillGoesThrough() {
        Processes.sleep((JourneyEnvironment.TOKEN_LIFESPAN_SECONDS + 3) * 1000L);
        String another = "linus." + run + "@example.com";
        browser.type(By.id("email"), another);
        new Select(browser.find(By.id("role"))).selectByValue("VIEWER");
        browser.click(By.xpath("//button[normalize-space()='Create invitation']"));
        browser.awaitPage(env.appUrl, "/t/" + slug + "/team/invitations");
        browser.awaitText("shown only once");
        assertTrue(browser.text().contains(another), browser.text());
    }

    @Test
    @Order(80)
    void loggingOutEndsTheSession() {
        browser.click(By.linkText("Log out"));
        browser.awaitPage(env.appUrl, "/");
        browser.awaitText("Start free");
        shot("08-logged-out");
        browser.open(env.appUrl + "/t/" + slug);
        browser.find(By.id("kc-form-login")); // the dashboard asks for a login again
    }

    /**
     * Anyone can register with any address, so an invitation asks for a verified one (Keycloak's
     * {@code email_verified}). The realm here sends no verification mail (no mail server): the journey does what the
     * mail's link does through Keycloak's admin API, and the teammate logs in again, as the page tells them.
     */
    @Test
    @Order(90)
    void theTeammateRegistersFromTheInvitationVerifiesTheAddressAndJoins() throws Exception {
        browser.open(invitationLink);
        browser.find(By.id("kc-form-login"));
        browser.click(By.linkText("Register"));
        fillRegistration(teammateEmail, "Grace", "Hopper", PASSWORD);
        browser.awaitPage(env.appUrl, pathOf(invitationLink));
        browser.awaitText("Your e-mail address is not verified yet.");
        shot("09-verify-address-first");

        env.markEmailVerified(teammateEmail);
        browser.click(By.linkText("Log out"));
        browser.awaitPage(env.appUrl, "/");
        browser.open(invitationLink);
        browser.find(By.id("kc-form-login"));
        browser.type(By.id("username"), teammateEmail);
        browser.type(By.id("password"), PASSWORD);
        browser.click(By.id("kc-login"));
        browser.awaitPage(env.appUrl, pathOf(invitationLink));
        browser.awaitText("You have been invited to join Morning Brief as Editor.");
        shot("09-join");

        browser.click(By.xpath("//button[normalize-space()='Join workspace']"));
        browser.awaitPage(env.appUrl, "/t/" + slug);
        String page = browser.text();
        assertTrue(page.contains("Morning Brief") && page.contains("Editor"), page);
        shot("10-teammate-dashboard");

        browser.click(By.linkText("Team"));
        browser.awaitText("Grace Hopper");
        assertTrue(browser.text().contains("Ada Lovelace"), browser.text());
        assertEquals(0, browser.driver.findElements(By.id("email")).size(), "an editor cannot invite");
    }

    /** Meta's Graph API as the journey needs it: sending, the number's details and account, the account's templates. */
    private void stubMeta() throws IOException {
        Path fixtures = Path.of("src", "test", "resources", "whatsapp");
        // Every answer a fresh wamid: whatsapp_messages keeps provider message ids unique per workspace.
        String sendOk = Files.readString(fixtures.resolve("send-ok.json")).replaceFirst("\"wamid\\.[^\"]*\"",
                "\"wamid.{{randomValue length=32 type='ALPHANUMERIC'}}\"");
        env.meta.stubFor(post(urlPathEqualTo("/v23.0/" + phoneNumberId + "/messages")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(sendOk)
                .withTransformers("response-template")));
        // Reading the number (saving the channel verifies it, "Test connection" shows it) and the account's numbers
        // (the number must be one of them): Meta's examples with this journey's number id.
        env.meta.stubFor(get(urlPathEqualTo("/v23.0/" + phoneNumberId)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(Files.readString(fixtures.resolve("phone-number.json")).replace("1234567890123456",
                        phoneNumberId))));
        env.meta.stubFor(get(urlPathEqualTo("/v23.0/" + wabaId + "/phone_numbers")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Files.readString(fixtures.resolve("phone-numbers.json")).replace("1906385232743451",
                        phoneNumberId))));
        env.meta.stubFor(get(urlPathEqualTo("/v23.0/" + wabaId + "/message_templates")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Files.readString(fixtures.resolve("templates.json")))));
    }

    @Test
    @Order(100)
    void theOwnerSignsInAgainOnKeycloaksLoginPage() throws Exception {
        stubMeta();
        browser.click(By.linkText("Log out"));
        browser.awaitPage(env.appUrl, "/");
        browser.open(env.appUrl + "/t/" + slug + "/channel");
        browser.find(By.id("kc-form-login"));
        browser.type(By.id("username"), ownerEmail);
        browser.type(By.id("password"), PASSWORD);
        browser.click(By.id("kc-login"));
        browser.awaitPage(env.appUrl, "/t/" + slug + "/channel");
        browser.awaitText("WhatsApp channel");
        shot("11-channel");
    }

    @Test
    @Order(110)
    void connectingTheCloudApiNumberAndTestingIt() {
        browser.click(By.cssSelector("input[name=type][value=cloud-api]"));
        browser.type(By.id("phoneNumberId"), phoneNumberId);
        browser.type(By.id("businessAccountId"), wabaId);
        browser.type(By.id("displayPhoneNumber"), "+1 631-555-5555");
        browser.type(By.id("accessToken"), "EAAG" + JourneyEnvironment.secret(24));
        browser.click(By.cssSelector("form[action='/t/" + slug + "/channel'] button[type=submit]"));
        browser.awaitText("The channel settings have been saved.");
        assertTrue(browser.text().contains("WhatsApp Cloud API"), browser.text());

        browser.click(By.xpath("//button[normalize-space()='Test connection']"));
        browser.awaitText("Connection works.");
        String page = browser.text();
        assertTrue(page.contains("Jasper's Market") && page.contains("GREEN") && page.contains("TIER_2K"), page);
        shot("12-channel-connected");
    }

    @Test
    @Order(120)
    void syncingTheTemplatesFromWhatsApp() {
        browser.open(env.appUrl + "/t/" + slug + "/templates");
        browser.click(By.xpath("//button[normalize-space()='Sync with WhatsApp']"));
        browser.awaitText("3 templates synced.");
        String page = browser.text();
        assertTrue(page.contains("morning_briefing") && page.contains("Guten Morgen! Heute: {{1}}"), page);
        shot("13-templates");
    }

    @Test
    @Order(130)
    void creatingAGermanMarketingList() {
        browser.open(env.appUrl + "/t/" + slug + "/lists/new");
        browser.type(By.id("name"), "Morgenbriefing");
        browser.type(By.id("slug"), listSlug);
        browser.type(By.id("description"), "Jeden Morgen um sieben: die Nachrichten des Tages in drei Minuten.");
        new Select(browser.find(By.id("language"))).selectByValue("de");
        new Select(browser.find(By.id("purpose"))).selectByValue("MARKETING");
        browser.type(By.id("keyword"), keyword);
        browser.type(By.id("consentText"), "Ja, ich möchte das Morgenbriefing von Morning Brief per WhatsApp "
                + "erhalten (höchstens eine Nachricht am Tag). Ich kann jederzeit mit STOP abbestellen.");
        browser.type(By.id("imprintUrl"), "https://morning-brief.example/impressum");
        browser.type(By.id("privacyUrl"), "https://morning-brief.example/datenschutz");
        browser.click(By.cssSelector("form[action='/t/" + slug + "/lists/new'] button[type=submit]"));
        browser.awaitPage(env.appUrl, "/t/" + slug + "/lists/" + listSlug);
        browser.awaitText("Morgenbriefing");
        assertTrue(browser.text().contains(keyword), browser.text());
        shot("14-list");
    }

    /** Meta's dashboard subscribes the webhook with the verify token; an unsigned delivery is refused. */
    @Test
    @Order(135)
    void metaSubscribesTheWebhook() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String challenge = JourneyEnvironment.secret(6);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(env.appUrl
                + "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=" + env.whatsappVerifyToken
                + "&hub.challenge=" + challenge)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(challenge, ok.body());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(env.appUrl
                + "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guessed&hub.challenge=" + challenge))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, wrong.statusCode(), wrong.body());
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(env.appUrl + "/webhooks/whatsapp"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode(), unsigned.body());
    }

    @Test
    @Order(140)
    void aReaderSubscribesOnTheLandingPageAtPhoneSize() {
        browser.phone();
        try {
            browser.open(env.appUrl + "/p/" + slug + "/" + listSlug);
            browser.awaitText("Morgenbriefing auf WhatsApp abonnieren");
            assertTrue(browser.text().contains("Ich kann jederzeit mit STOP abbestellen."), browser.text());
            new Select(browser.find(By.id("country"))).selectByValue("DE");
            browser.type(By.id("phone"), "0151 23456789");
            shot("15-landing-phone");
            browser.click(By.id("consent"));
            browser.click(By.cssSelector("form[action='/p/" + slug + "/" + listSlug + "'] button[type=submit]"));
            browser.awaitText("In WhatsApp bestätigen");
            String href = browser.find(By.id("wa-link")).getAttribute("href");
            assertTrue(href.startsWith("https://wa.me/16315555555?text=" + keyword + "%20"), href);
            String text = URLDecoder.decode(href.substring(href.indexOf("?text=") + 6), StandardCharsets.UTF_8);
            confirmationCode = text.substring(keyword.length() + 1);
            assertFalse(confirmationCode.isBlank(), href);
            assertTrue(browser.text().contains(confirmationCode), browser.text());
            shot("16-confirm-in-whatsapp");
        } finally {
            browser.desktop();
        }
    }

    @Test
    @Order(150)
    void theConfirmationArrivesAsASignedWebhook() throws Exception {
        confirmationWamid = deliverFromReader(keyword + " " + confirmationCode);

        browser.open(env.appUrl + "/t/" + slug + "/subscribers?q=" + readerDigits);
        browser.click(By.cssSelector("table a[href^='/t/" + slug + "/subscribers/']"));
        subscriberPath = browser.path();
        awaitAfterReload("the subscriber CONFIRMED with the WhatsApp message as proof",
                () -> browser.text().contains("Confirmed") && browser.text().contains(confirmationWamid));
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})",
                browser.find(By.xpath("//code[normalize-space()='" + confirmationWamid + "']")));
        shot("17-subscriber-confirmed");

        awaitTrue("the neutral confirmation reply to the reader", () -> !sentTo(readerDigits, "text").isEmpty());
        assertEquals(1, sentTo(readerDigits, "text").size());
    }

    @Test
    @Order(160)
    void aScheduledIssueIsDeliveredToTheReader() {
        String issuePath = composeIssue("Morgenbriefing Nr. 1", "Wahlen, Wetter und ein Rezept", true);
        shot("18-issue-scheduled");
        awaitAfterReload("the issue sent", () -> "DONE".equals(issueStatus()));
        assertEquals("/t/" + slug + "/issues/", issuePath.substring(0, issuePath.lastIndexOf('/') + 1));
        assertEquals("1", browser.find(By.cssSelector("dd[data-count=sent]")).getText().trim(), browser.text());
        shot("19-issue-sent");

        List<JsonNode> templates = sentTo(readerDigits, "template");
        assertEquals(1, templates.size(), templates.toString());
        JsonNode template = templates.get(0).path("template");
        assertEquals("morning_briefing", template.path("name").asText(), template.toString());
        assertTrue(template.toString().contains("Wahlen, Wetter und ein Rezept"), template.toString());
    }

    /** Another reader subscribes by WhatsApp alone: START MORGEN, the consent text comes back, JA confirms it. */
    @Test
    @Order(165)
    void aSecondReaderSubscribesFromWhatsApp() throws Exception {
        deliverFrom(secondReaderDigits, "START " + keyword);
        awaitTrue("the consent text sent to the second reader", () -> sentTo(secondReaderDigits, "text").size() == 1);
        assertTrue(sentTo(secondReaderDigits, "text").get(0).toString().contains("Ich kann jederzeit mit STOP"),
                sentTo(secondReaderDigits, "text").toString());
        deliverFrom(secondReaderDigits, "JA");
        awaitTrue("the confirmation sent to the second reader", () -> sentTo(secondReaderDigits, "text").size() == 2);
        browser.open(env.appUrl + "/t/" + slug + "/subscribers?q=" + secondReaderDigits);
        browser.awaitText("Morgenbriefing: Confirmed");
        assertEquals(1, browser.driver.findElements(By.cssSelector("table tbody tr")).size(), browser.text());
        assertTrue(browser.text().contains("+" + secondReaderDigits), browser.text());
    }

    @Test
    @Order(170)
    void theReaderWritesStop() throws Exception {
        deliverFromReader("STOP");
        browser.open(env.appUrl + subscriberPath);
        awaitAfterReload("the subscriber WITHDRAWN", () -> browser.text().contains("Withdrawn"));
        shot("20-subscriber-withdrawn");
    }

    /**
     * The audience of an issue is taken when it starts: one delivery per reader CONFIRMED for the list at that
     * moment: every member of the list gets a decision. The reader who wrote STOP is EXCLUDED with the reason,
     * the second reader gets the issue.
     */
    @Test
    @Order(180)
    void aSecondIssueSkipsTheReader() {
        secondIssuePath = composeIssue("Morgenbriefing Nr. 2", "Sport und Kultur", false);
        awaitAfterReload("the second issue sent", () -> "DONE".equals(issueStatus()));
        String page = browser.text();
        assertEquals("1", browser.find(By.cssSelector("dd[data-count=sent]")).getText().trim(), page);
        assertEquals("0", browser.find(By.cssSelector("dd[data-count=pending]")).getText().trim(), page);
        assertEquals("1", browser.find(By.cssSelector("dd[data-count=excluded]")).getText().trim(), page);
        assertEquals(2, browser.driver.findElements(By.cssSelector("td.reader")).size(), page); // one row per delivery
        assertTrue(page.contains("Excluded Unsubscribed"), page);
        shot("21-second-issue-skips-the-reader");
        assertEquals(1, sentTo(readerDigits, "template").size(), "no second template message to the reader");
        assertEquals(1, sentTo(secondReaderDigits, "template").size(), "the second reader got the issue");
    }

    @Test
    @Order(190)
    void theConsentAuditVerifiesAndExports() throws Exception {
        browser.open(env.appUrl + "/t/" + slug + "/audit");
        browser.click(By.xpath("//button[normalize-space()='Verify integrity']"));
        browser.awaitText("The ledger is intact");
        shot("22-audit-verified");

        // The export form is a GET: the browser's session cookies fetch the same file it would download.
        String cookies = browser.driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(env.appUrl + "/t/" + slug + "/audit/export?format=csv")).header("Cookie", cookies)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode(), csv.body());
        String subscriberId = subscriberPath.substring(subscriberPath.lastIndexOf('/') + 1);
        List<String> rows = csv.body().lines().filter(l -> l.contains(subscriberId)).toList();
        assertTrue(rows.stream().anyMatch(l -> l.contains("CONFIRMED") && l.contains(confirmationWamid)), csv.body());
        assertTrue(rows.stream().anyMatch(l -> l.contains("WITHDRAWN")), csv.body());
        Files.writeString(JourneyEnvironment.OUT.resolve("consent-export.csv"), csv.body());
    }

    /**
     * The embed snippet, as the publisher copies it from the list page, on another site: a page served from
     * {@code http://localhost:<port>} frames the form from {@code http://127.0.0.1:<app port>}, a site the browser
     * holds no cookie for (as in a browser that blocks third-party cookies). The reader fills it in inside the
     * frame and reaches the "confirm in WhatsApp" step.
     */
    @Test
    @Order(200)
    void theEmbeddedFormSubscribesAReaderOnAPublishersSite() throws Exception {
        browser.open(env.appUrl + "/t/" + slug + "/lists/" + listSlug);
        String snippet = browser.find(By.id("embed")).getAttribute("value");
        String framedApp = "http://127.0.0.1:" + URI.create(env.appUrl).getPort();
        assertTrue(snippet.contains(env.appUrl + "/p/" + slug + "/" + listSlug), snippet);
        byte[] page = ("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Der Morgen-Blog</title></head>"
                + "<body><h1>Der Morgen-Blog</h1><p>Unser Briefing gibt es auch auf WhatsApp:</p>"
                + snippet.replace(env.appUrl, framedApp) + "</body></html>").getBytes(StandardCharsets.UTF_8);
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/blog", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
        try {
            browser.open("http://localhost:" + site.getAddress().getPort() + "/blog");
            browser.driver.switchTo().frame(browser.find(By.tagName("iframe")));
            browser.awaitText("Morgenbriefing auf WhatsApp abonnieren");
            new Select(browser.find(By.id("country"))).selectByValue("DE");
            browser.type(By.id("phone"), "0151 23456780");
            browser.click(By.id("consent"));
            browser.click(By.cssSelector("form[action='/p/" + slug + "/" + listSlug + "'] button[type=submit]"));
            browser.awaitText("In WhatsApp bestätigen");
            String href = browser.find(By.id("wa-link")).getAttribute("href");
            assertTrue(href.startsWith("https://wa.me/16315555555?text=" + keyword + "%20"), href);
            assertTrue(browser.driver.manage().getCookieNamed("csrf-token") == null, "the framed form needed no cookie: "
                    + browser.driver.manage().getCookies());
            browser.driver.switchTo().defaultContent();
            assertTrue(browser.text().contains("Der Morgen-Blog"), browser.text());
            shot("23-embed-on-a-publishers-site");
        } finally {
            browser.driver.switchTo().defaultContent();
            site.stop(0);
        }
    }

    /** The dashboard draws the readers per state over 90 days and the opt-in funnel, each with a text alternative. */
    @Test
    @Order(210)
    void theDashboardShowsItsCharts() {
        browser.open(env.appUrl + "/t/" + slug);
        browser.awaitText("Morning Brief");
        for (String chart : List.of("chart-readers", "chart-funnel")) {
            assertChartWithTextAlternative(chart);
        }
        assertTrue(browser.text().contains("Morgenbriefing"), "the funnel names the list: " + browser.text());
        shot("24-dashboard-charts");
    }

    /** The issue page: a full progress bar, the sent/delivered/read chart and the readers masked in the deliveries. */
    @Test
    @Order(220)
    void theIssuePageShowsProgressAChartAndMaskedReaders() {
        browser.open(env.appUrl + secondIssuePath);
        browser.awaitText("Morgenbriefing Nr. 2");
        WebElement bar = browser.find(By.id("bar"));
        assertEquals("2", bar.getAttribute("max"), "one decision per member of the list");
        assertEquals(bar.getAttribute("max"), bar.getAttribute("value"), "every delivery decided");
        assertChartWithTextAlternative("chart-timeline");
        List<String> readers = browser.driver.findElements(By.cssSelector("td.reader")).stream().map(WebElement::getText)
                .toList();
        assertEquals(2, readers.size(), readers.toString());
        for (String reader : readers) {
            assertFalse(reader.isBlank(), readers.toString());
            assertFalse(reader.replaceAll("[^0-9]", "").contains("23456789")
                    || reader.replaceAll("[^0-9]", "").contains("12345678"), "a reader's number is masked: " + reader);
        }
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", browser.find(By.id("live")));
        shot("25-issue-progress-and-chart");

        browser.open(env.appUrl + "/t/" + slug + "/issues");
        browser.awaitText("Morgenbriefing Nr. 1");
        assertFalse(browser.driver.findElements(By.cssSelector("figure.chart svg[role=img]")).isEmpty(),
                "the issue list charts its issues: " + browser.text());
        shot("26-issues-charts");
    }

    /** A destructive action asks first: dismissing the question keeps the member, accepting removes them. */
    @Test
    @Order(230)
    void removingATeammateAsksForConfirmation() {
        browser.open(env.appUrl + "/t/" + slug + "/team");
        By remove = By.xpath("//tr[td[normalize-space()='Grace Hopper']]//button[normalize-space()='Remove']");
        browser.click(remove);
        String question = browser.answerConfirm(false);
        assertEquals("Remove Grace Hopper from this workspace? They lose access at once.", question);
        assertTrue(browser.text().contains("Grace Hopper"), "dismissed: the member stays");

        browser.click(remove);
        browser.answerConfirm(true);
        browser.awaitText("The member was removed.");
        browser.checkPage();
        assertFalse(browser.find(By.cssSelector("main table")).getText().contains("Grace Hopper"), browser.text());
        shot("27-member-removed-after-confirmation");
    }

    /** The activity log names who did what to whom, filters by kind and exports the same as CSV. */
    @Test
    @Order(240)
    void theActivityLogShowsTheJourneysOwnActions() throws Exception {
        browser.open(env.appUrl + "/t/" + slug + "/audit");
        browser.click(By.partialLinkText("whole activity log"));
        browser.awaitPage(env.appUrl, "/t/" + slug + "/activity");
        String all = browser.text();
        assertTrue(all.contains("Morgenbriefing Nr. 2") && all.contains("Morgenbriefing"), all);

        new Select(browser.find(By.id("kind"))).selectByValue("member.removed");
        browser.click(By.xpath("//form[contains(@class,'filters')]//button[not(@formaction)]"));
        browser.awaitText("Member removed");
        browser.checkPage();
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("main table tbody tr"));
        assertEquals(1, rows.size(), browser.text());
        String row = rows.get(0).getText();
        // Who and whom by name or e-mail address (what the team page shows), never by id.
        assertTrue(row.contains("Member removed") && (row.contains("Ada Lovelace") || row.contains(ownerEmail))
                && (row.contains("Grace Hopper") || row.contains(teammateEmail)), "who, what and whom: " + row);
        assertFalse(row.matches("(?s).*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-.*"), "no id instead of a name: " + row);
        shot("28-activity-filtered");

        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(env.appUrl + "/t/" + slug + "/activity/export?kind=member.removed"))
                .header("Cookie", cookies()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.body().contains("Grace Hopper") || csv.body().contains(teammateEmail), csv.body());
        Files.writeString(JourneyEnvironment.OUT.resolve("activity-export.csv"), csv.body());
    }

    /** The pages every pass below walks: dashboard, lists, a list, an issue, the activity log, the landing page. */
    private List<String[]> mainPages() {
        return List.of(new String[] {"dashboard", "/t/" + slug}, new String[] {"lists", "/t/" + slug + "/lists"},
                new String[] {"list", "/t/" + slug + "/lists/" + listSlug},
                new String[] {"issue", secondIssuePath}, new String[] {"activity", "/t/" + slug + "/activity"},
                new String[] {"landing", "/p/" + slug + "/" + listSlug});
    }

    /** The user switches to German in the header; every main page then speaks German. */
    @Test
    @Order(250)
    void theMainPagesInGerman() {
        browser.open(env.appUrl + "/t/" + slug);
        browser.click(By.cssSelector(".langs a[lang=de]"));
        browser.awaitText("Übersicht");
        walkMainPages("30-de-", "de");
    }

    @Test
    @Order(260)
    void theMainPagesInEnglish() {
        browser.open(env.appUrl + "/t/" + slug);
        browser.click(By.cssSelector(".langs a[lang=en]"));
        browser.awaitText("Dashboard");
        walkMainPages("40-en-", "en");
    }

    /** The same pages on a phone: 390 px wide, none scrolls sideways (the check after each navigation). */
    @Test
    @Order(270)
    void theMainPagesOnAPhone() {
        browser.phone();
        try {
            walkMainPages("50-phone-", "en");
        } finally {
            browser.desktop();
        }
    }

    private void walkMainPages(String prefix, String lang) {
        int n = 1;
        for (String[] page : mainPages()) {
            browser.open(env.appUrl + page[1]);
            browser.find(By.tagName("h1"));
            if (!page[0].equals("landing")) { // the landing page speaks the list's language (German here)
                assertEquals(lang, browser.find(By.tagName("html")).getAttribute("lang"), page[1]);
            }
            if (page[0].equals("activity")) { // the export filtered by kind names the kind in words, not its code
                assertFalse(browser.text().contains("member.removed"), browser.text());
                assertTrue(browser.text().contains(lang.equals("de") ? "Mitglied entfernt" : "Member removed"),
                        browser.text());
            }
            shot(prefix + n++ + "-" + page[0]);
        }
    }

    /** An SVG chart in {@code figure#id}: an image named by its title and described in words. */
    private void assertChartWithTextAlternative(String id) {
        WebElement svg = browser.find(By.cssSelector("figure#" + id + " svg[role=img]"));
        assertEquals(id + "-title", svg.getAttribute("aria-labelledby"));
        assertEquals(id + "-desc", svg.getAttribute("aria-describedby"));
        String title = svg.findElement(By.cssSelector("title")).getAttribute("textContent");
        String desc = svg.findElement(By.cssSelector("desc")).getAttribute("textContent");
        assertFalse(title.isBlank() || desc.isBlank(), id + ": title '" + title + "', description '" + desc + "'");
    }

    /** The browser's session cookies, to fetch what it would download. */
    private String cookies() {
        return browser.driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    /** Composes an issue for the list with {@code morning_briefing}; scheduled in 30 s or sent now. */
    private String composeIssue(String title, String headline, boolean schedule) {
        browser.open(env.appUrl + "/t/" + slug + "/issues/new");
        new Select(browser.find(By.id("list"))).selectByValue(listSlug);
        browser.type(By.id("title"), title);
        new Select(browser.find(By.id("template"))).selectByValue("morning_briefing|de");
        browser.type(By.id("p1"), headline);
        browser.awaitText("Guten Morgen! Heute: " + headline); // the preview follows the typing
        if (schedule) {
            // In the workspace's time zone, as the form says; with seconds, so the journey waits 30 s, not minutes.
            String at = LocalDateTime.now(ZoneId.of("Europe/Berlin")).plusSeconds(30).truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            browser.driver.executeScript("arguments[0].value = arguments[1]", browser.find(By.id("scheduledAt")), at);
            browser.click(By.cssSelector("button[name=action][value=schedule]"));
        } else {
            browser.click(By.cssSelector("button[name=action][value=send]"));
        }
        browser.awaitText(title);
        String path = browser.path();
        assertFalse(path.endsWith("/new"), browser.text());
        return path;
    }

    private String issueStatus() {
        return browser.find(By.id("status")).getAttribute("data-status");
    }

    /** Meta delivers a text message from the reader: the documented payload, signed with the app secret. */
    private String deliverFromReader(String text) throws Exception {
        return deliverFrom(readerDigits, text);
    }

    private String deliverFrom(String from, String text) throws Exception {
        String wamid = "wamid." + UUID.randomUUID().toString().replace("-", "");
        String payload = """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages",
                "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"16315555555",
                "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Leserin"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}
                """.formatted(wabaId, phoneNumberId, from, from, wamid,
                Instant.now().getEpochSecond(), text);
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(env.whatsappAppSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(env.appUrl + "/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(raw)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return wamid;
    }

    /** The messages the application sent to {@code digits} through the fake Meta, of the given type. */
    private List<JsonNode> sentTo(String digits, String type) {
        ObjectMapper json = new ObjectMapper();
        return env.meta.findAll(postRequestedFor(urlPathEqualTo("/v23.0/" + phoneNumberId + "/messages"))).stream()
                .map(LoggedRequest::getBodyAsString).map(b -> {
                    try {
                        return json.readTree(b);
                    } catch (IOException e) {
                        throw new IllegalStateException(b, e);
                    }
                }).filter(m -> m.path("to").asText().replaceAll("[^0-9]", "").equals(digits)
                        && type.equals(m.path("type").asText()))
                .toList();
    }

    /** Reloads the page every two seconds until {@code done} (background work: inbox, dispatch), 3 minutes at most. */
    private void awaitAfterReload(String what, BooleanSupplier done) {
        awaitTrue(what, () -> {
            if (done.getAsBoolean()) {
                return true;
            }
            Processes.sleep(2000);
            browser.driver.navigate().refresh();
            return done.getAsBoolean();
        });
        browser.checkPage();
    }

    private void awaitTrue(String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Waited 3 minutes for " + what + "; the browser shows "
                        + browser.driver.getCurrentUrl() + "\n" + browser.text());
            }
            Processes.sleep(500);
        }
    }

    private void fillRegistration(String email, String first, String last, String password) {
        browser.find(By.id("kc-register-form"));
        browser.type(By.id("email"), email);
        browser.type(By.id("firstName"), first);
        browser.type(By.id("lastName"), last);
        browser.type(By.id("password"), password);
        browser.type(By.id("password-confirm"), password);
        browser.click(By.cssSelector("#kc-register-form [type=submit]"));
    }

    private static String pathOf(String url) {
        return URI.create(url).getPath();
    }
}
