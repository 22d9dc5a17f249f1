package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console as an operator uses it, in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium): a wrong token gets the sign-in page again; signed in, the overview shows the deliveries the test sent over
 * HTTP; a verification is found and its timeline shows the out-of-order event; a dead letter (the target answered 500)
 * is replayed and shown delivered; the deliveries in are listed with the refusal. Each page is saved as a 1280 px wide
 * screenshot (under target/console-screenshots; with -Dkyc.screenshots=docs/console, the README's pictures). Skipped, with the reason printed, where no browser is installed
 * (.ci/run installs it); no JavaScript error may appear in the browser's console.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    static final String APPLICANT = "e2e-applicant-7f3a";
    static final String USER = "e2e-user-42";
    /**
     * Where the screenshots go: target/console-screenshots, so that a test run leaves the working tree as it was;
     * {@code -Dkyc.screenshots=docs/console} refreshes the README's pictures.
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("kyc.screenshots", "target/console-screenshots"));

    static TestReceiver receiver;
    static RunningRouter router;
    static ChromeDriver browser;
    static WebDriverWait wait;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Path chromium = installed("chromium", "chromium-browser", "google-chrome");
        Path driver = installed("chromedriver");
        Assumptions.assumeTrue(chromium != null && driver != null,
                "no headless browser here: the console's browser test needs Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
        // the target answers 500 twice (its one event goes dead after two attempts), then 200: the replay delivers it
        receiver = TestReceiver.start().failTimes(2, 500);
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("console-browser"));
        s.put("kyc.notify.poll-period-ms", "100");
        s.put("kyc.notify.targets", "crm");
        s.put("kyc.notify.target.crm.type", "http");
        s.put("kyc.notify.target.crm.url", receiver.url());
        s.put("kyc.notify.target.crm.secret", "whsec_" + java.util.Base64.getEncoder()
                .encodeToString("console-test-key-0123456789ab".getBytes(StandardCharsets.UTF_8)));
        s.put("kyc.notify.target.crm.max-attempts", "2");
        s.put("kyc.notify.target.crm.backoff.initial-ms", "100");
        s.put("kyc.notify.target.crm.backoff.max-ms", "200");
        s.put("kyc.notify.target.crm.filter.final-only", "true");
        // the parked row below stays parked during the test: the inbox recovery neither runs nor would find it due
        s.put("kyc.inbox.recovery-period-ms", "3600000");
        s.put("kyc.inbox.recovery-grace-ms", "3600000");
        router = RunningRouter.start(s);
        base = "http://127.0.0.1:" + router.port();

        // the review (RED, final) happened after the pending event, but the pending one arrives last: out of order
        postSumsub("{\"applicantId\":\"" + APPLICANT + "\",\"externalUserId\":\"" + USER + "\",\"correlationId\":\"c-1\","
                + "\"type\":\"applicantReviewed\",\"createdAtMs\":\"2026-11-20 10:05:00.000\",\"reviewStatus\":\"completed\","
                + "\"reviewResult\":{\"reviewAnswer\":\"RED\",\"rejectLabels\":[\"FORGERY\"],\"reviewRejectType\":\"FINAL\"}}");
        postSumsub("{\"applicantId\":\"" + APPLICANT + "\",\"externalUserId\":\"" + USER + "\",\"correlationId\":\"c-2\","
                + "\"type\":\"applicantPending\",\"createdAtMs\":\"2026-11-20 10:00:00.000\",\"reviewStatus\":\"pending\"}");
        // a refusal: a wrong signature
        byte[] forged = "{\"applicantId\":\"forged\",\"type\":\"applicantPending\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(router.post("/webhooks/sumsub", forged, Map.of("Content-Type", "application/json",
                "X-Payload-Digest", "00ff", "X-Payload-Digest-Alg", "HMAC_SHA256_HEX")).statusCode()).isEqualTo(401);
        // a parked delivery: accepted, its mapping failed
        try (Connection c = router.db(); PreparedStatement insert = c.prepareStatement("insert into inbox"
                + " (vendor, event_key, received_at, auth_scheme, body, attempts, last_error) values (?, ?, ?, 'digest', ?, 1, ?)")) {
            insert.setString(1, "didit");
            insert.setString(2, "e2e-parked");
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.setString(4, "{\"name\":\"Jane Body-Secret\"}");
            insert.setString(5, "mapping failed: unknown status 'Weird'");
            insert.executeUpdate();
        }
        await("the dead letter").atMost(RunningRouter.WAIT)
                .until(() -> router.count("select count(*) from outbox where target = 'crm' and state = 'dead'") == 1);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(), options);
        wait = new WebDriverWait(browser, RunningRouter.WAIT);
        Files.createDirectories(SCREENSHOTS);
    }

    static void postSumsub(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        router.canonicalEventOf(RunningRouter.json(answer).get("id").asLong());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (router != null) {
            router.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void aWrongTokenGetsTheSignInPageAgainAndNoData() throws Exception {
        browser.get(base + "/console");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        screenshot("sign-in");
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("sign-in")).click();
        WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#message .error")));
        assertThat(alert.getText()).isEqualTo("Wrong operator token.");
        assertThat(browser.manage().getCookies()).isEmpty();
        // the API, opened in the browser without a session, gives no data
        browser.get(base + "/api/overview");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("unauthorized").doesNotContain("sumsub");
        browser.get(base + "/console");
        assertThat(browser.findElements(By.id("token"))).hasSize(1);
    }

    @Test
    @Order(2)
    void signedInTheOverviewShowsTheDeliveriesPerVendorAndTheTargets() throws Exception {
        browser.get(base + "/console");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(RunningRouter.OPERATOR_TOKEN);
        browser.findElement(By.id("sign-in")).click();
        shown("overview");
        assertThat(browser.getCurrentUrl()).doesNotContain(RunningRouter.OPERATOR_TOKEN);
        assertThat(browser.manage().getCookieNamed("kyc_console_session").isHttpOnly()).isTrue();
        // the figures read across: last hour, then last day
        String sumsub = browser.findElement(By.cssSelector("[data-vendor=sumsub]")).getText().replace('\n', ' ');
        assertThat(sumsub).contains("accepted 2 2 parked 0 0").contains("refused 1 1").contains("by reason: " + reason() + " 1");
        assertThat(browser.findElements(By.cssSelector("[data-vendor=sumsub] svg.chart rect"))).isNotEmpty();
        String page = text();
        assertThat(page).contains("crm").contains("Readiness ready").contains("lost when the router restarts");
        assertThat(page).doesNotContain("Body-Secret");
        screenshot("overview");
    }

    @Test
    @Order(3)
    void aVerificationIsFoundAndItsTimelineMarksTheOutOfOrderEvent() throws Exception {
        open("verifications");
        new Select(browser.findElement(By.id("v-vendor"))).selectByValue("sumsub");
        browser.findElement(By.id("v-id")).sendKeys("no-such-verification");
        browser.findElement(By.id("find")).click();
        WebElement notFound = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("not-found")));
        assertThat(notFound.getText()).contains("Not found").contains("no-such-verification");

        // by the client's user reference, then into its timeline
        browser.findElement(By.id("v-user")).sendKeys(USER);
        browser.findElement(By.cssSelector("#find-by-user button")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(APPLICANT))).click();
        WebElement state = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("state")));
        assertThat(state.getText()).contains("REJECTED").contains(USER);
        List<WebElement> rows = browser.findElements(By.cssSelector("#timeline tbody tr"));
        assertThat(rows).hasSize(2);
        // shown in the vendor's order: the pending event (earlier, arrived last) first, marked out of order
        assertThat(rows.get(0).getText()).contains("PENDING_REVIEW").contains("out of order");
        assertThat(rows.get(0).getAttribute("class")).contains("out-of-order");
        assertThat(rows.get(1).getText()).contains("REJECTED").contains("FORGERY").doesNotContain("out of order");
        screenshot("verifications");
    }

    @Test
    @Order(4)
    void aDeadLetterIsReplayedAndShownDelivered() throws Exception {
        open("notifications");
        WebElement row = browser.findElement(By.cssSelector("tr[data-delivery]"));
        assertThat(row.getText()).contains("crm").contains("HTTP 500");
        screenshot("notifications");
        row.findElement(By.cssSelector("button[data-replay]")).click();
        WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
        assertThat(browser.findElement(By.id("confirm-text")).getText()).contains("again");
        confirm.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notify-outcome"), "delivered (HTTP 200)"));
        assertThat(receiver.successes()).isEqualTo(1);
        assertThat(router.count("select count(*) from outbox where target = 'crm' and state = 'delivered'")).isEqualTo(1);
        screenshot("notifications-replayed");

        // a target's dead letters and missed events since a time (none given: all): asks, then says what it did
        browser.findElement(By.cssSelector("tr[data-target=crm] form button")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-text"))).getText())
                .contains("Replay the dead letters of crm");
        browser.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notify-outcome"),
                "crm: 0 dead letter(s) replayed, 0 missed event(s) queued."));
    }

    @Test
    @Order(5)
    void deliveriesInListAcceptedRefusedAndParkedWithoutPersonalData() throws Exception {
        open("deliveries");
        String page = text();
        assertThat(page).contains("applicantReviewed").contains("applicantPending").contains("mapped")
                .contains("mapping failed: unknown status 'Weird'").contains(reason());
        assertThat(page).doesNotContain("Body-Secret").doesNotContain("e2e-parked").doesNotContain(USER);
        screenshot("deliveries");
        // "map again" asks first, then shows the API's answer, whatever it is
        browser.findElement(By.cssSelector("button[data-remap]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok"))).click();
        wait.until(d -> !d.findElement(By.id("deliveries-outcome")).getText().contains("again...")
                && d.findElement(By.id("deliveries-outcome")).isDisplayed());
    }

    @Test
    @Order(6)
    void usableOnANarrowScreenAndNoJavaScriptErrors() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        for (String page : List.of("overview", "verifications", "deliveries", "notifications")) {
            open(page);
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue()).as(page + " wider than the screen").isLessThanOrEqualTo(0);
        }
        screenshotAsIs("notifications-narrow");
        browser.manage().window().setSize(new Dimension(1280, 1000));
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // refused calls (401 wrong token, the remap API's answer) are logged by Chromium as failed loads
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
        assertThat(errors).isEmpty();

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        browser.navigate().refresh();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")))).isNotNull();
        assertThat(browser.manage().getCookieNamed("kyc_console_session")).isNull();
    }

    /** The reason code a wrong Sumsub signature is refused with, as the router reports it. */
    static String reason() throws Exception {
        return RunningRouter.json(router.get("/api/refusals")).get("refusals").get(0).get("reason").asText();
    }

    /** Waits until the console has rendered this page (read by script: a page being replaced has no stale element). */
    static void shown(String page) {
        new WebDriverWait(browser, RunningRouter.WAIT).withMessage(() -> "page " + page + " shown; the browser shows: "
                        + browser.executeScript("return document.body ? document.body.innerText : ''"))
                // while one page replaces another (the sign-in page the console) a script may find no document
                .ignoring(JavascriptException.class)
                .until(d -> page.equals(((JavascriptExecutor) d).executeScript(
                        "return document.body ? document.body.getAttribute('data-shown') : null;")));
    }

    /** Opens the console afresh and goes to a page by its navigation link, as an operator does. */
    static void open(String page) {
        browser.get(base + "/console");
        shown("overview");
        if (!page.equals("overview")) {
            browser.findElement(By.cssSelector("nav a[data-page=" + page + "]")).click();
            shown(page);
        }
    }

    static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** The page at 1280 px wide, as tall as its content, saved to {@link #SCREENSHOTS}/{name}.png. */
    static void screenshot(String name) throws Exception {
        Object height = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(1280, Math.max(700, Math.min(2400, ((Number) height).intValue() + 20))));
        screenshotAsIs(name);
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    static void screenshotAsIs(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The first of these programs on the PATH, or null. */
    static Path installed(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names).flatMap(n -> Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
