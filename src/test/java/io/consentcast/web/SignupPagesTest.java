package io.consentcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.htmlunit.SilentCssErrorHandler;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Sign-up through the pages: the OIDC code flow against the test OIDC server, then "Create your workspace". */
@QuarkusTest
class SignupPagesTest {

    @TestHTTPResource("/")
    URL root;

    private static WebClient browser() {
        WebClient client = new WebClient();
        client.setCssErrorHandler(new SilentCssErrorHandler());
        client.getOptions().setJavaScriptEnabled(false);
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        client.addRequestHeader("Accept-Language", "en");
        return client;
    }

    private static HtmlPage login(HtmlPage loginForm) throws Exception {
        HtmlForm form = loginForm.getForms().get(0);
        form.getInputByName("username").type("alice");
        form.getInputByName("password").type("alice");
        return form.getInputByValue("login").click();
    }

    @Test
    void aNewcomerSignsUpAndCreatesAWorkspace() throws Exception {
        try (WebClient client = browser()) {
            HtmlPage home = client.getPage(root);
            assertTrue(home.asNormalizedText().contains("Start free"), home.asNormalizedText());

            HtmlPage afterLogin = login(home.getAnchorByHref("/signup").click());
            // alice may already own workspaces from an earlier test in this run: always go to "new".
            HtmlPage form = afterLogin.getUrl().getPath().equals("/app/new") ? afterLogin
                    : client.getPage(new URL(root, "/app/new"));
            assertTrue(form.asNormalizedText().contains("Create your workspace"), form.asNormalizedText());

            // A bad slug is refused with a message at the field, and the typed values stay.
            HtmlForm f = form.getForms().stream().filter(x -> "/app/new".equals(x.getActionAttribute())).findFirst()
                    .orElseThrow();
            f.getInputByName("name").type("Abendblatt");
            f.getInputByName("slug").type("API");
            HtmlPage refused = submit(f);
            assertEquals(400, refused.getWebResponse().getStatusCode());
            assertTrue(refused.asNormalizedText().contains("Use lowercase letters"), refused.asNormalizedText());
            HtmlForm again = refused.getForms().stream().filter(x -> "/app/new".equals(x.getActionAttribute()))
                    .findFirst().orElseThrow();
            assertEquals("Abendblatt", again.getInputByName("name").getValue());

            String slug = "abendblatt-" + System.nanoTime() % 1_000_000;
            again.getInputByName("slug").setValue(slug);
            ((HtmlSelect) again.getSelectByName("timezone")).setSelectedAttribute("Europe/Vienna", true);
            HtmlPage dashboard = submit(again);
            assertEquals("/t/" + slug, dashboard.getUrl().getPath());
            assertTrue(dashboard.asNormalizedText().contains("Abendblatt"), dashboard.asNormalizedText());
            assertTrue(dashboard.asNormalizedText().contains("Your workspace is ready."));
            assertTrue(dashboard.asNormalizedText().contains("Your role: Owner"), dashboard.asNormalizedText()); // the role in words
        }
    }

    @Test
    void formsWithoutTheCsrfTokenAreRejected() throws Exception {
        try (WebClient client = browser()) {
            HtmlPage form = login(client.getPage(new URL(root, "/app/new")));
            HtmlForm f = form.getForms().stream().filter(x -> "/app/new".equals(x.getActionAttribute())).findFirst()
                    .orElseThrow();
            f.getInputByName("csrf-token").remove();
            f.getInputByName("name").type("No token");
            f.getInputByName("slug").type("no-token-" + System.nanoTime() % 100_000);
            org.htmlunit.Page refused = f.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertEquals(403, refused.getWebResponse().getStatusCode());
            assertTrue(refused.getWebResponse().getContentAsString().contains("This form has expired"));
            client.getPage(new URL(root, "/app"));
        }
    }

    @Test
    void pagesSpeakGermanWhenTheBrowserAsksForIt() throws Exception {
        try (WebClient client = browser()) {
            client.removeRequestHeader("Accept-Language");
            client.addRequestHeader("Accept-Language", "de-DE,de;q=0.9,en;q=0.5");
            HtmlPage home = client.getPage(root);
            assertTrue(home.asNormalizedText().contains("Kostenlos starten"), home.asNormalizedText());
            // The user's own choice beats the browser.
            HtmlPage english = home.getAnchorByHref("/lang/en?return=/").click();
            assertTrue(english.asNormalizedText().contains("Start free"), english.asNormalizedText());
        }
    }

    private static HtmlPage submit(HtmlForm form) throws Exception {
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }
}
