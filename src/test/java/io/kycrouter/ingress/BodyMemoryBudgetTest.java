package io.kycrouter.ingress;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The body memory budget on its own: what shares take and give back, what is refused, and the bound under contention. */
class BodyMemoryBudgetTest {

    @Test
    void sharesTakeAndReleaseTheirBytes() {
        BodyMemoryBudget budget = new BodyMemoryBudget(1000);
        BodyMemoryBudget.Share a = budget.open();
        BodyMemoryBudget.Share b = budget.open();
        assertThat(budget.inUse()).isZero();

        assertThat(a.take(300)).isTrue();
        assertThat(a.take(100)).isTrue();
        assertThat(b.take(200)).isTrue();
        assertThat(budget.inUse()).isEqualTo(600);

        a.release();
        assertThat(budget.inUse()).isEqualTo(200);
        b.release();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aChunkThatDoesNotFitWhileOthersHoldBytesIsRefused() {
        BodyMemoryBudget budget = new BodyMemoryBudget(1000);
        BodyMemoryBudget.Share holder = budget.open();
        BodyMemoryBudget.Share late = budget.open();
        assertThat(holder.take(700)).isTrue();

        assertThat(late.take(301)).as("one byte over the capacity").isFalse();
        assertThat(budget.inUse()).as("a refused chunk takes nothing").isEqualTo(700);
        assertThat(late.take(300)).as("exactly the capacity").isTrue();
        assertThat(late.take(1)).isFalse();
        assertThat(holder.take(1)).as("the holder too, now that another share holds bytes").isFalse();

        holder.release();
        BodyMemoryBudget.Share next = budget.open();
        assertThat(next.take(700)).as("room again once the holder gave its bytes back").isTrue();
        assertThat(budget.inUse()).isEqualTo(1000);
    }

    @Test
    void aRequestAloneAlwaysFitsWhateverItsSize() {
        BodyMemoryBudget budget = new BodyMemoryBudget(1000);
        BodyMemoryBudget.Share alone = budget.open();
        assertThat(alone.take(5000)).as("larger than the capacity, but nobody else holds anything").isTrue();
        assertThat(alone.take(5000)).as("and it keeps fitting while it is alone").isTrue();
        assertThat(budget.inUse()).isEqualTo(10_000);

        BodyMemoryBudget.Share other = budget.open();
        assertThat(other.take(1)).as("another request does not fit past it").isFalse();
        alone.release();
        assertThat(other.take(1)).isTrue();
    }

    @Test
    void releaseIsIdempotent() {
        BodyMemoryBudget budget = new BodyMemoryBudget(1000);
        BodyMemoryBudget.Share a = budget.open();
        BodyMemoryBudget.Share b = budget.open();
        assertThat(a.take(400)).isTrue();
        assertThat(b.take(100)).isTrue();

        a.release();
        a.release();
        assertThat(budget.inUse()).as("a second release gives back nothing more").isEqualTo(100);
        BodyMemoryBudget.Share never = budget.open();
        never.release();
        assertThat(budget.inUse()).isEqualTo(100);

        assertThat(a.take(50)).as("a released share may take again").isTrue();
        assertThat(budget.inUse()).isEqualTo(150);
        a.release();
        b.release();
        b.release();
        assertThat(budget.inUse()).isZero();
    }

    /**
     * Shares on several threads (each share, like a connection's, used from one thread) take chunks and release
     * them: as no share alone takes more than the capacity, the bytes held together never exceed it.
     */
    @Test
    void concurrentTakesNeverExceedTheCapacity() throws Exception {
        long capacity = 10_000;
        int threads = 4;
        int rounds = 2_000;
        BodyMemoryBudget budget = new BodyMemoryBudget(capacity);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long highest = 0;
                    for (int round = 0; round < rounds; round++) {
                        BodyMemoryBudget.Share share = budget.open();
                        long taken = 0;
                        for (int chunk = 0; chunk < 4; chunk++) {
                            long n = 1 + random.nextLong(capacity / 4);
                            if (share.take(n)) {
                                taken += n;
                            }
                            highest = Math.max(highest, budget.inUse());
                        }
                        assertThat(taken).isLessThanOrEqualTo(capacity);
                        share.release();
                    }
                    return highest;
                }));
            }
            for (Future<Long> worker : workers) {
                assertThat(worker.get(60, TimeUnit.SECONDS)).as("the most bytes seen held at once").isLessThanOrEqualTo(capacity);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.inUse()).as("every share gave its bytes back").isZero();
    }
}
