package io.consentcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

/**
 * The real end-to-end journey: Keycloak's own registration page, the packaged application in production mode on
 * PostgreSQL, and a real headless Chromium. Each step is one ordered test that ends with a screenshot in
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
        began = Instant.now();
        env = new JourneyEnvironment();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopEverything));
        try {
            env.start();
            browser = new Browser(JourneyEnvironment.OUT);
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

    void shot(String name) {
        browser.screenshot(JourneyEnvironment.OUT, name);
    }

    /** What the Helm chart's probes and ServiceMonitor ask for, from the packaged application. */
    @Test
    @Order(1)
    void healthAndMetricsAnswerWhereTheHelmChartLooksForThem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/q/health/started", "/q/health/live", "/q/health/ready")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(env.appUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("\"UP\""), path + ": " + r.body());
        }
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(env.appUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "Prometheus metrics");
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
        assertTrue(page.contains("OWNER"), page);
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
        browser.choose(By.id("role"), "EDITOR");
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
        browser.choose(By.id("role"), "VIEWER");
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

    @Test
    @Order(90)
    void theTeammateRegistersFromTheInvitationAndJoins() {
        browser.open(invitationLink);
        browser.find(By.id("kc-form-login"));
        browser.click(By.linkText("Register"));
        fillRegistration(teammateEmail, "Grace", "Hopper", PASSWORD);
        browser.awaitPage(env.appUrl, pathOf(invitationLink));
        browser.awaitText("You have been invited to join Morning Brief as EDITOR.");
        shot("09-join");

        browser.click(By.xpath("//button[normalize-space()='Join workspace']"));
        browser.awaitPage(env.appUrl, "/t/" + slug);
        String page = browser.text();
        assertTrue(page.contains("Morning Brief") && page.contains("EDITOR"), page);
        shot("10-teammate-dashboard");

        browser.click(By.linkText("Team"));
        browser.awaitText("Grace Hopper");
        assertTrue(browser.text().contains("Ada Lovelace"), browser.text());
        assertEquals(0, browser.driver.findElements(By.id("email")).size(), "an editor cannot invite");
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
