package io.kycrouter.faults;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 under load, on the embedded default (an H2 file) or PostgreSQL: after a restart, every delivery a
 * vendor was told was accepted is in the inbox, has its canonical event and reached the notifier target, in
 * order per verification. Deliveries in flight at the kill may be sent twice (at-least-once): counted, and the
 * receiver can tell them by their webhook-id.
 */
class KillUnderLoadTest {

    @Test
    void noAcknowledgedDeliveryIsLostByAKill() throws Exception {
        try (TestReceiver receiver = TestReceiver.start();
             FaultRig rig = new FaultRig("kill9", receiver, "")) {
            AtomicReference<RouterProcess> router = new AtomicReference<>(rig.start("before-kill"));
            rig.startLoad(router::get);
            rig.awaitAcknowledged(200);
            rig.loadForAWhile(); // load for a while before the kill
            router.get().kill(); // SIGKILL: no shutdown hook, requests and deliveries in flight
            rig.stopLoad();
            long acknowledgedAtKill = rig.acknowledged.size();

            try (RouterProcess restarted = rig.start("after-kill")) {
                rig.awaitSettled(restarted, 90);
            }
            FaultRig.Figures f = rig.figures();
            System.out.println(f.line("kill -9 under load"));
            assertThat(acknowledgedAtKill).isGreaterThan(200);
            assertThat(f.lost).as("acknowledged but not stored").isZero();
            assertThat(f.unmapped).as("stored but never mapped").isZero();
            assertThat(f.mapped).as("every stored delivery has its canonical event").isEqualTo(f.stored);
            assertThat(f.undelivered).as("acknowledged but never delivered to the target").isZero();
            assertThat(f.outOfOrder).as("a verification's events delivered out of order").isZero();
        }
    }
}
