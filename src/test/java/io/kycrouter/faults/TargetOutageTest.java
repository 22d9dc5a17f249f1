package io.kycrouter.faults;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.TestReceiver;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier target is down (nothing listens on its port) while webhooks keep arriving, for
 * {@code kyc.faults.outage-ms} (faults/run.sh makes it long), then comes back: every event is delivered, exactly
 * once, in order per verification, and the ingress kept accepting throughout.
 */
class TargetOutageTest {

    static final long OUTAGE_MS = Long.getLong("kyc.faults.outage-ms", 4000);
    /** Failed attempts of one delivery the outage lasts for: about one a second of kyc.faults.outage-ms. */
    static final long RETRIES_WHILE_DOWN = Math.max(3, OUTAGE_MS / 1000);

    private static final java.util.regex.Pattern FAILED_ATTEMPT = java.util.regex.Pattern.compile("outcome=retry attempt=(\\d+)");

    static long highestFailedAttempt(String log) {
        long highest = 0;
        java.util.regex.Matcher m = FAILED_ATTEMPT.matcher(log);
        while (m.find()) {
            highest = Math.max(highest, Long.parseLong(m.group(1)));
        }
        return highest;
    }

    @Test
    void everythingIsDeliveredInOrderWhenTheTargetComesBack() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        TestReceiver back = null;
        try (FaultRig rig = new FaultRig("target-outage", port, "")) {
            long refusedWhileDown;
            try (RouterProcess router = rig.start("target-outage")) {
                rig.startLoad(() -> router);
                rig.awaitAcknowledged(200);
                rig.loadForAWhile(); // load while the target is down
                rig.stopLoad();
                // the outage lasts until a delivery has failed RETRIES_WHILE_DOWN attempts (backoff 100 ms doubling to 1 s:
                // about a second an attempt once it is long), however long a busy machine takes for that
                await("retries failing while the target is down").atMost(Duration.ofMillis(Math.max(60_000, OUTAGE_MS * 3)))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> highestFailedAttempt(router.log()) >= RETRIES_WHILE_DOWN);
                refusedWhileDown = rig.refused.get();
                back = TestReceiver.start(port);
                rig.receiver = back;
                rig.awaitSettled(router, 120);
            }
            FaultRig.Figures f = rig.figures();
            System.out.println(f.line("notifier target down for " + OUTAGE_MS + " ms"));
            assertThat(f.acknowledged).as("webhooks acknowledged while the target was down").isGreaterThanOrEqualTo(200);
            assertThat(f.lost).as("acknowledged but not stored").isZero();
            assertThat(refusedWhileDown).as("webhooks refused while only the target was down").isZero();
            assertThat(f.undelivered).as("acknowledged but never delivered").isZero();
            assertThat(f.duplicated).as("delivered twice").isZero();
            assertThat(f.outOfOrder).as("a verification's events out of order").isZero();
            assertThat(f.delivered).isEqualTo(f.stored);
        } finally {
            if (back != null) {
                back.close();
            }
        }
    }
}
