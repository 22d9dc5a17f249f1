package io.kycrouter;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.ServerDatabase;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM under load: every delivery that got its 200 is stored, mapped after a restart, and nothing is half-written. */
class GracefulShutdownTest {

    @Test
    void sigtermUnderLoadLosesNoAcknowledgedDelivery() throws Exception {
        Path dir = RunningRouter.tempDir("sigterm");
        ServerDatabase db = ServerDatabase.start(dir);
        String url = db.url();
        String user = db.user();
        Map<String, String> env = Map.of("KYC_DB_URL", url, "KYC_DB_USER", user, "KYC_DIDIT_SECRET", RunningRouter.DIDIT_SECRET);
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            RouterProcess router = RouterProcess.start("sigterm", env, dir);
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                loops.add(senders.submit(() -> {
                    for (int i = 0; sending.get(); i++) {
                        String session = "term-" + thread + "-" + i;
                        byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"In Review\",\"created_at\":1727681752}")
                                .getBytes(StandardCharsets.UTF_8);
                        try {
                            HttpResponse<String> r = router.post("/webhooks/didit", body, Signer.diditRaw(body));
                            if (r.statusCode() == 200) {
                                acknowledged.add(session);
                            }
                        } catch (Exception refused) {
                            // the server is going away: not acknowledged, the vendor would retry
                        }
                    }
                    return null;
                }));
            }
            await("load running").atMost(RunningRouter.WAIT).until(() -> acknowledged.size() > 100);
            int exit = router.terminate(); // SIGTERM while requests are in flight
            sending.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);

            long stored = db.count("select count(*) from inbox where vendor = 'didit'");
            assertThat(stored).isGreaterThanOrEqualTo(acknowledged.size());
            for (String session : acknowledged) {
                assertThat(db.count("select count(*) from inbox where event_key like ?", session + ":%"))
                        .as("acknowledged " + session).isEqualTo(1);
            }
            // no half-written rows: every stored event has its state, and after a restart every delivery is mapped
            try (RouterProcess again = RouterProcess.start("restarted", Map.of("KYC_DB_URL", url, "KYC_DB_USER", user,
                    "KYC_DIDIT_SECRET", RunningRouter.DIDIT_SECRET, "KYC_INBOX_RECOVERY_GRACE_MS", "1000"), dir)) {
                await("every stored delivery mapped").atMost(RunningRouter.WAIT)
                        .until(() -> db.count("select count(*) from inbox where processed_at is null") == 0);
                assertThat(db.count("select count(*) from canonical_event")).isEqualTo(stored);
                assertThat(db.count("select count(*) from verification_state")).isEqualTo(stored);
            }
        } finally {
            senders.shutdownNow();
            db.close();
        }
    }

}
