package io.kycrouter.faults;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk of the embedded H2 database fills up under load, then space is freed: meanwhile the ingress answers
 * 503 (never a 200 for something not stored), afterwards the vendors' retries are accepted, and every acknowledged
 * delivery is stored once, mapped and delivered. The disk is a small tmpfs; mounting one needs root, so the test
 * is skipped (with the reason printed) where that is not allowed, and on PostgreSQL, whose disk it cannot fill.
 */
class DiskFullTest {

    @Test
    void aFullDiskAnswers503AndLosesNothing() throws Exception {
        String postgres = System.getProperty("kyc.test.postgres");
        if (postgres != null && !postgres.isBlank()) {
            System.out.println("SKIPPED: disk full: embedded H2 only (this is the PostgreSQL profile)");
        }
        Assumptions.assumeTrue(postgres == null || postgres.isBlank(), "disk full: embedded H2 only (PostgreSQL profile)");
        Path disk = RunningRouter.tempDir("disk-full-fs");
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", disk.toString());
        if (!mounted) {
            System.out.println("SKIPPED: disk full: cannot mount a tmpfs here (needs root)");
        }
        Assumptions.assumeTrue(mounted, "disk full: cannot mount a tmpfs here (needs root)");
        try (TestReceiver receiver = TestReceiver.start();
             FaultRig rig = new FaultRig("disk-full", receiver, disk)) {
            RouterProcess router = rig.start("disk-full");
            Path filler = disk.resolve("filler");
            try {
                rig.startLoad(() -> router);
                rig.awaitAcknowledged(100);
                long refusedBefore = rig.refused.get();
                fill(filler);
                rig.awaitRefused(refusedBefore, 3); // the full disk under load, until it shows in the vendors' answers
                long refusedWhileFull = rig.refused.get() - refusedBefore;
                Files.delete(filler);
                rig.awaitAcknowledged(rig.acknowledged.size() + 100); // accepting again
                rig.stopLoad();
                rig.retryRefused(router, 60);
                rig.awaitSettled(router, 90);
                assertThat(refusedWhileFull).as("deliveries refused while the disk was full").isPositive();
                assertThat(rig.answers.keySet()).as("only 200 and 503 answers").containsOnly(200, 503);
                assertThat(rig.refusedDeliveries).as("refused deliveries still not accepted after the retries").isEmpty();
            } finally {
                router.close();
                Files.deleteIfExists(filler);
            }
            FaultRig.Figures f = rig.figures();
            System.out.println(f.line("disk full under load") + " answers=" + rig.answers);
            f.assertStoredOnceMappedDeliveredInOrder();
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) {
        byte[] chunk = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // no space left on the device: what the test wants
        }
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
