package io.kycrouter.faults;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.TestReceiver;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier target is down (nothing listens on its port) while webhooks keep arriving, for
 * {@code kyc.faults.outage-ms} (faults/run.sh makes it long), then comes back: every event is delivered, exactly
 * once, in order per verification, and the ingress kept accepting throughout.
 */
class TargetOutageTest {

    static final long OUTAGE_MS = Long.getLong("kyc.faults.outage-ms", 4000);

    @Test
    void everythingIsDeliveredInOrderWhenTheTargetComesBack() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        TestReceiver back = null;
        try (FaultRig rig = new FaultRig("target-outage", port, "")) {
            long refusedWhileDown;
            try (RouterProcess router = rig.start("target-outage")) {
                rig.startLoad(() -> router);
                rig.awaitAcknowledged(200);
                Thread.sleep(Math.min(FaultRig.LOAD_MS, OUTAGE_MS)); // load while the target is down: a time window
                rig.stopLoad();
                Thread.sleep(Math.max(0, OUTAGE_MS - FaultRig.LOAD_MS)); // retries keep failing meanwhile
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
