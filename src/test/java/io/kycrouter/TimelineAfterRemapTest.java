package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's verification timeline after a remap agrees with the state the remap computed again: only current
 * events are replayed, in the order the state is computed from them (the order the deliveries were received), and
 * the superseded event is listed, marked, struck through on the page, and counts for nothing.
 * <p>
 * The Didit route is wrong at first (Approved maps to UNKNOWN): the Approved delivery (10:01) arrives first and is
 * stored UNKNOWN, then the older In Progress one (10:00), which moves the UNKNOWN status. The route fixed and the
 * router restarted, the Approved delivery is mapped again: as if it had arrived right, it set APPROVED first and
 * the In Progress delivery, older, arrived out of order. Replaying every event by when it was written (the old
 * timeline) marked the In Progress event as having moved the status and the superseded one as moving it too.
 */
class TimelineAfterRemapTest {

    static final long T0 = 1_767_225_600L; // 2026-01-01T00:00:00Z
    static final String SESSION = "timeline-remap";

    static RunningRouter router;
    static long approved;
    static long inProgress;

    @BeforeAll
    static void storeWithTheBrokenRouteThenRemapWithTheFixedOne() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("timeline-remap"));
        settings.put("kyc.inbox.recovery-period-ms", "3600000");
        Path vendors = RemapApiTest.brokenVendors();
        settings.put("kyc.vendors.dir", vendors.toString());
        router = RunningRouter.start(settings);
        approved = post("Approved", T0 + 60);
        inProgress = post("In Progress", T0);
        assertThat(router.canonicalEventOf(approved).get("status").asText()).isEqualTo("UNKNOWN");
        router.canonicalEventOf(inProgress);
        assertThat(status()).isEqualTo("IN_PROGRESS");
        router.close();

        Files.copy(Path.of("vendors", "didit", "routes.yaml"), vendors.resolve("didit").resolve("routes.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        settings.put("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        settings.put("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        router = RunningRouter.start(settings);
        HttpResponse<String> remap = router.request("POST", "/api/inbox/" + approved + "/remap", RunningRouter.OPERATOR_TOKEN);
        assertThat(remap.statusCode()).as(remap.body()).isEqualTo(200);
        assertThat(json(remap).get("remapped").asInt()).isEqualTo(1);
    }

    static long post(String status, long createdAt) throws Exception {
        byte[] body = ("{\"session_id\":\"" + SESSION + "\",\"status\":\"" + status + "\",\"created_at\":" + createdAt
                + ",\"vendor_data\":\"user-" + SESSION + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer).get("id").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    static String status() throws Exception {
        return json(router.get("/api/verifications/didit/" + SESSION)).get("status").asText();
    }

    static JsonNode timeline() throws Exception {
        HttpResponse<String> answer = router.get("/api/verifications/didit/" + SESSION + "/timeline");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer);
    }

    @Test
    void onlyCurrentEventsAreReplayedInTheOrderTheStateIsComputedAndTheSupersededOneIsMarked() throws Exception {
        List<Map<String, Object>> rows = router.rows("select event_id, superseded_by, superseded_at from canonical_event"
                + " where inbox_id = ? order by revision", approved);
        assertThat(rows).hasSize(2);
        String oldId = (String) rows.get(0).get("event_id");
        String newId = (String) rows.get(1).get("event_id");
        assertThat(rows.get(0).get("superseded_by")).isEqualTo(newId);

        JsonNode timeline = timeline();
        JsonNode state = timeline.get("state");
        assertThat(state.get("status").asText()).isEqualTo("APPROVED");
        assertThat(state.get("statusEventId").asText()).isEqualTo(newId);
        List<String> shown = new ArrayList<>();
        for (JsonNode e : timeline.get("events")) {
            shown.add(e.get("eventId").asText().equals(oldId) ? "old" : e.get("eventId").asText().equals(newId) ? "new" : "in-progress");
            shown.add(e.get("status").asText() + " moved=" + e.get("movedStatus").asBoolean()
                    + " outOfOrder=" + e.get("outOfOrder").asBoolean() + " supersededBy=" + e.path("supersededBy").asText("-"));
        }
        // in the vendor's order of time (ties in the order written); the superseded event neither moved nor came late
        assertThat(shown).containsExactly(
                "in-progress", "IN_PROGRESS moved=false outOfOrder=true supersededBy=-",
                "old", "UNKNOWN moved=false outOfOrder=false supersededBy=" + newId,
                "new", "APPROVED moved=true outOfOrder=false supersededBy=-");
        JsonNode old = timeline.get("events").get(1);
        assertThat(old.get("supersededAt").asText()).isNotBlank();
        assertThat(java.time.Instant.parse(old.get("supersededAt").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(timeline.get("events").get(2).get("receivedAt").asText()));
        assertThat(timeline.get("events").get(2).get("supersedes").asText()).isEqualTo(oldId);
        // the last event that moved the status, in the replay, is the one the state names
        for (JsonNode e : timeline.get("events")) {
            if (e.get("eventId").asText().equals(state.get("statusEventId").asText())) {
                assertThat(e.get("movedStatus").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void theConsoleStrikesTheSupersededEventThrough() throws Exception {
        Path chromium = ConsoleBrowserTest.installed("chromium", "chromium-browser", "google-chrome");
        Path driver = ConsoleBrowserTest.installed("chromedriver");
        Assumptions.assumeTrue(chromium != null && driver != null,
                "no headless browser here: needs Debian's chromium and chromium-driver (.ci/run installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000");
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(), options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, RunningRouter.WAIT);
            String base = "http://127.0.0.1:" + router.port();
            browser.get(base + "/console");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(RunningRouter.OPERATOR_TOKEN);
            browser.findElement(By.id("sign-in")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("nav a[data-page=verifications]")));
            browser.get(base + "/console#verifications/didit/" + SESSION);
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline tbody tr"), 3));
            List<WebElement> rows = browser.findElements(By.cssSelector("#timeline tbody tr"));
            String oldId = (String) router.rows("select event_id from canonical_event where inbox_id = ? and revision = 0",
                    approved).get(0).get("event_id");
            for (WebElement row : rows) {
                boolean superseded = oldId.equals(row.getAttribute("data-event"));
                for (WebElement cell : row.findElements(By.tagName("td"))) {
                    assertThat(cell.getCssValue("text-decoration-line")).as(row.getText())
                            .isEqualTo(superseded ? "line-through" : "none");
                }
                assertThat(row.getText().contains("superseded")).as(row.getText()).isEqualTo(superseded);
            }
            assertThat(rows.get(0).getAttribute("class")).contains("out-of-order");
        } finally {
            browser.quit();
        }
    }
}
