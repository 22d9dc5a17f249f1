package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.CuttableDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.fixture;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Nothing accepted is lost: across a restart, a crash between accept and mapping, and a database outage. */
class DurabilityTest {

    @Test
    void aRestartKeepsEverything() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("restart"));
        byte[] body = fixture("sumsub/applicantReviewed-2.json");
        long inboxId;
        try (RunningRouter first = RunningRouter.start(settings)) {
            HttpResponse<String> response = first.post("/webhooks/sumsub", body, Signer.sumsub(body));
            inboxId = json(response).get("id").asLong();
            first.canonicalEventOf(inboxId);
        }
        try (RunningRouter second = RunningRouter.start(settings)) {
            HttpResponse<String> state = second.get("/api/verifications/sumsub/5cb56e8e0a975a35f333cb83");
            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(json(state).get("status").asText()).isEqualTo("APPROVED");
            // the vendor's retry after the restart is still recognised
            HttpResponse<String> retry = second.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(json(retry).get("duplicate").asBoolean()).isTrue();
            assertThat(json(retry).get("id").asLong()).isEqualTo(inboxId);
            assertThat(second.count("select count(*) from canonical_event")).isEqualTo(1);
        }
    }

    @Test
    void aDeliveryAcceptedButNeverMappedIsMappedAfterRestart() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("recovery"));
        byte[] body = fixture("didit/approved.json");
        try (RunningRouter first = RunningRouter.start(settings)) {
            // simulate a crash right after the inbox commit: the row exists, its canonical event does not
            try (Connection c = first.db(); PreparedStatement s = c.prepareStatement(
                    "insert into inbox (vendor, event_key, received_at, body) values ('didit', 'crash-1', ?, ?)")) {
                s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
                s.setString(2, new String(body, StandardCharsets.UTF_8));
                s.executeUpdate();
            }
        }
        try (RunningRouter second = RunningRouter.start(settings)) {
            long inboxId = second.count("select id from inbox where event_key = 'crash-1'");
            assertThat(second.canonicalEventOf(inboxId).get("status").asText()).isEqualTo("APPROVED");
            assertThat(second.count("select count(*) from inbox where id = ? and processed_at is not null", inboxId)).isEqualTo(1);
        }
    }

    @Test
    void databaseOutageAnswers503AndTheVendorsRetryIsAcceptedAfterwards() throws Exception {
        Path dir = RunningRouter.tempDir("outage");
        byte[] body = fixture("sumsub/applicantPending.json");
        try (CuttableDatabase network = CuttableDatabase.start(dir);
             RunningRouter router = RunningRouter.start(network.configure(RunningRouter.defaults(dir)))) {
            network.cut();
            HttpResponse<String> down = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(json(down).get("error").asText()).isEqualTo("store_unavailable");
            assertThat(down.headers().firstValue("Retry-After")).isPresent();

            network.mend();
            HttpResponse<String> retry = null;
            for (int i = 0; i < 60; i++) { // the pool replaces its broken connections
                retry = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
                if (retry.statusCode() == 200) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(json(retry).get("duplicate").asBoolean()).isFalse();
            router.canonicalEventOf(json(retry).get("id").asLong());
        }
    }
}
