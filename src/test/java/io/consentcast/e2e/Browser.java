package io.consentcast.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) with a fresh profile, and the
 * few things the journey does with it: open, type, click, wait, take a screenshot.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("e2e.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver");

    /** Why no browser can start on this machine (Chromium or its driver missing), or empty when both are there. */
    static Optional<String> missing() {
        List<String> absent = Stream.of(CHROMIUM, CHROMEDRIVER).filter(f -> !Files.isExecutable(Path.of(f))).toList();
        return absent.isEmpty() ? Optional.empty()
                : Optional.of("no browser for the journey: " + String.join(" and ", absent)
                        + " missing (apt-get install chromium chromium-driver)");
    }

    private final Path profile;
    private final ChromeDriverService service;
    final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser(Path logDir) throws IOException {
        profile = Files.createTempDirectory("consentcast-journey-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-features=PasswordLeakDetection,Translate", "--lang=en-US",
                "--user-data-dir=" + profile, "--window-size=1280,960", "--hide-scrollbars");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en",
                "credentials_enable_service", false, "profile.password_manager_enabled", false));
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver.log").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 960));
        wait = new WebDriverWait(driver, Duration.ofSeconds(45));
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** The origin whose pages {@link #checkPage()} holds to {@link #assertReadable()} (the application's). */
    private String checkedOrigin;

    void checkPagesOf(String origin) {
        this.checkedOrigin = origin;
    }

    void open(String url) {
        driver.get(url);
        checkPage();
    }

    /**
     * Called after each navigation: a page of the application (not Keycloak's, not another site's) must be
     * {@link #assertReadable() readable}.
     */
    void checkPage() {
        URI now = URI.create(driver.getCurrentUrl());
        if (checkedOrigin != null && (now.getScheme() + "://" + now.getAuthority()).equals(checkedOrigin)) {
            assertReadable();
        }
    }

    WebElement find(By by) {
        wait.withMessage(() -> "Expected " + by + " on " + driver.getCurrentUrl() + "; the page shows:\n" + text());
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void type(By by, String text) {
        WebElement field = find(by);
        field.clear();
        field.sendKeys(text);
    }

    void choose(By by, String visibleText) {
        new Select(find(by)).selectByVisibleText(visibleText);
    }

    void click(By by) {
        wait.withMessage(() -> "Expected a clickable " + by + " on " + driver.getCurrentUrl() + "; the page shows:\n"
                + text());
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** Waits until the address bar shows {@code path} on {@code origin} (redirect chains through Keycloak end). */
    void awaitPage(String origin, String path) {
        wait.withMessage(() -> "Expected " + origin + path + " but the browser shows " + driver.getCurrentUrl()
                + "\n" + text()).until(d -> {
                    URI now = URI.create(d.getCurrentUrl());
                    return (now.getScheme() + "://" + now.getAuthority()).equals(origin) && now.getPath().equals(path);
                });
        checkPage();
    }

    void awaitText(String text) {
        wait.withMessage(() -> "Expected the page to show \"" + text + "\"; it shows:\n" + text())
                .until(d -> text().contains(text));
    }

    /** The visible text of the page; retried while a navigation replaces the document under our feet. */
    String text() {
        for (int attempt = 1;; attempt++) {
            try {
                return driver.findElement(By.tagName("body")).getText();
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                if (attempt == 10) {
                    throw e;
                }
                Processes.sleep(200);
            } catch (WebDriverException e) {
                // Inside a frame, a body replaced by the next document can surface as this inspector error instead
                // of a stale element.
                if (attempt == 10 || e.getMessage() == null || !e.getMessage().contains("does not belong to the document")) {
                    throw e;
                }
                Processes.sleep(200);
            }
        }
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** The width of a phone (an iPhone 12 to 15) in CSS pixels, as the pages must fit it. */
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    /** An ISO-8601 timestamp as Java prints an Instant or OffsetDateTime: no page may show one. */
    static final Pattern ISO_TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d");

    private boolean phone;

    /**
     * Shows pages at a phone's size: a 390 x 844 viewport (DevTools' device metrics; a headless window cannot be
     * made that narrow), until {@link #desktop()}. Checks the viewport really is 390 wide. Not {@code mobile}:
     * a mobile viewport zooms a too-wide page out until it fits (the layout viewport grows with the content),
     * which would hide the very overflow {@link #assertReadable()} looks for.
     */
    void phone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", PHONE_WIDTH, "height",
                PHONE_HEIGHT, "deviceScaleFactor", 2, "mobile", false));
        phone = true;
        Number inner = (Number) driver.executeScript("return window.innerWidth");
        if (inner.intValue() != PHONE_WIDTH) {
            throw new AssertionError("the phone viewport is " + inner + " px wide, not " + PHONE_WIDTH);
        }
    }

    /** Back to the 1280 x 960 window. */
    void desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        phone = false;
    }

    /**
     * What every page of the application must hold, checked after each navigation: at a phone's width of 390 px
     * it does not scroll sideways (nothing sticks out to the right), and its visible text shows no raw ISO
     * timestamp (dates and times are written for people). The viewport goes back to what it was.
     */
    void assertReadable() {
        String url = driver.getCurrentUrl();
        String shown = text();
        Matcher iso = ISO_TIMESTAMP.matcher(shown);
        if (iso.find()) {
            int from = Math.max(0, iso.start() - 80);
            throw new AssertionError(url + " shows a raw ISO timestamp: ..."
                    + shown.substring(from, Math.min(shown.length(), iso.end() + 40)).replace('\n', ' ') + "...");
        }
        boolean wasPhone = phone;
        try {
            if (!wasPhone) {
                phone();
            }
            @SuppressWarnings("unchecked")
            List<Object> widths = (List<Object>) driver.executeScript("""
                    var root = document.documentElement, out = [];
                    for (const e of document.querySelectorAll('body *')) {
                      const r = e.getBoundingClientRect();
                      if (r.width > 0 && r.right > root.clientWidth + 1 && out.length < 8) {
                        out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                          + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')
                          + ' right=' + Math.round(r.right));
                      }
                    }
                    return [root.scrollWidth, root.clientWidth, window.innerWidth, out.join('; ')];""");
            long scroll = ((Number) widths.get(0)).longValue();
            long client = ((Number) widths.get(1)).longValue();
            if (scroll > client + 1) {
                throw new AssertionError(url + " scrolls sideways at " + widths.get(2) + " px: it is " + scroll
                        + " px wide for " + client + " px; sticking out: " + widths.get(3));
            }
        } finally {
            if (!wasPhone) {
                desktop();
            }
        }
    }

    /** Accepts (or dismisses) the confirmation the page asks for ({@code window.confirm}) and returns its question. */
    String answerConfirm(boolean accept) {
        wait.withMessage(() -> "Expected a confirmation dialog on " + driver.getCurrentUrl());
        org.openqa.selenium.Alert alert = wait.until(ExpectedConditions.alertIsPresent());
        String question = alert.getText();
        if (accept) {
            alert.accept();
        } else {
            alert.dismiss();
        }
        return question;
    }

    Path screenshot(Path dir, String name) {
        try {
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            System.out.println("[journey] closing the browser: " + e);
        } finally {
            service.stop();
            // Whatever is left of chromedriver and chromium below this JVM.
            ProcessHandle.current().descendants()
                    .filter(h -> h.info().command().map(c -> c.contains("chrom")).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
