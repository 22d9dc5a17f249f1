package io.kycrouter.faults;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database becomes unreachable under load (the network to it is cut) and comes back: meanwhile the ingress
 * answers 503 (never a 5xx of another kind, never a 200 for something not stored) and readiness fails; afterwards
 * the vendors' retries are accepted, and every acknowledged delivery is stored once, mapped and delivered.
 */
class DatabaseOutageTest {

    @Test
    void anOutageUnderLoadAnswers503AndLosesNothing() throws Exception {
        try (TestReceiver receiver = TestReceiver.start();
             FaultRig rig = new FaultRig("db-outage", receiver, "", true)) {
            RouterProcess router = rig.start("outage");
            try {
                rig.startLoad(() -> router);
                rig.awaitAcknowledged(100);
                long before = rig.acknowledged.size();

                rig.network.cut();
                long refusedAtCut = rig.refused.get();
                int readinessDuringOutage = awaitReadiness(router, 503);
                rig.awaitRefused(refusedAtCut, 3); // the outage under load, until it shows in the vendors' answers
                long refusedDuringOutage = rig.refused.get() - refusedAtCut;
                rig.network.mend();

                int readinessAfter = awaitReadiness(router, 200);
                long atMend = rig.acknowledged.size();
                rig.awaitAcknowledged(atMend + 100); // accepting again
                rig.stopLoad();
                rig.retryRefused(router, 60); // the vendors retry what was refused
                rig.awaitSettled(router, 90);

                assertThat(readinessDuringOutage).as("readiness while the database is unreachable").isEqualTo(503);
                assertThat(readinessAfter).as("readiness once it is back").isEqualTo(200);
                assertThat(refusedDuringOutage).as("deliveries refused during the outage").isPositive();
                assertThat(rig.answers.keySet()).as("only 200 and 503 answers").containsOnly(200, 503);
                assertThat((long) rig.acknowledged.size()).isGreaterThan(before);
                assertThat(rig.refusedDeliveries).as("refused deliveries still not accepted after the retries").isEmpty();
            } finally {
                router.close();
            }
            FaultRig.Figures f = rig.figures();
            System.out.println(f.line("database unreachable under load") + " answers=" + rig.answers);
            f.assertStoredOnceMappedDeliveredInOrder();
        }
    }

    @Test
    void aSlowDatabaseDegradesWith503sAndLosesNothing() throws Exception {
        try (TestReceiver receiver = TestReceiver.start();
             FaultRig rig = new FaultRig("db-slow", receiver, "kyc.db.group-commit.wait-ms = 1000\n", true)) {
            RouterProcess router = rig.start("slow");
            try {
                rig.startLoad(() -> router);
                rig.awaitAcknowledged(100);
                rig.network.slow(150); // every round trip to the database now takes 300 ms or more
                long refusedBefore = rig.refused.get();
                rig.awaitRefused(refusedBefore, 3); // the slow spell under load, until it shows in the vendors' answers
                long refusedWhileSlow = rig.refused.get() - refusedBefore;
                rig.network.slow(0);
                rig.awaitAcknowledged(rig.acknowledged.size() + 100);
                rig.stopLoad();
                rig.retryRefused(router, 60);
                rig.awaitSettled(router, 90);
                assertThat(refusedWhileSlow).as("answers past the commit wait are 503s").isPositive();
                assertThat(rig.answers.keySet()).as("only 200 and 503 answers").containsOnly(200, 503);
                assertThat(rig.refusedDeliveries).isEmpty();
            } finally {
                router.close();
            }
            FaultRig.Figures f = rig.figures();
            System.out.println(f.line("slow database under load") + " answers=" + rig.answers);
            assertThat(f.lost).as("acknowledged but not stored").isZero();
            assertThat(f.stored).as("a 503 whose write committed anyway is a duplicate on retry, not a second row")
                    .isEqualTo(f.acknowledged);
            assertThat(f.unmapped).isZero();
            assertThat(f.undelivered).isZero();
            assertThat(f.outOfOrder).isZero();
        }
    }

    private static int awaitReadiness(RouterProcess router, int wanted) {
        return await("readiness " + wanted).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(router::readiness, status -> status == wanted);
    }
}
