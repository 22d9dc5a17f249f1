package io.kycrouter.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Group commit: callers on many threads each hand in one item and wait; one writer thread takes whatever has
 * queued up (at most {@code maxBatch}) and writes it in one transaction. N concurrent deliveries then cost one
 * commit (one store of H2's file, one WAL flush of PostgreSQL) and one preparation of each statement, not N.
 * <p>
 * A caller returns only after its item's transaction committed. When a batch fails because of its content (a
 * unique or data conflict, another instance racing on the same key), it is rolled back and every item runs
 * alone through its single-item path, so one item never fails the others. When no connection can be had, every
 * item of the batch fails at once with {@link StoreUnavailable}.
 */
public final class GroupCommit<T, R> implements AutoCloseable {

    /** Writes a batch on a connection whose transaction the caller commits; returns one result per item, in order. */
    @FunctionalInterface
    public interface Batch<T, R> {
        List<R> write(Connection c, List<T> items) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger("kyc.store");
    /** A batch with this many items does not wait for more (a commit costs about three items' work, plus theirs). */
    static final int LINGER_UNTIL = 8;

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final String name;
    private final DataSource dataSource;
    private final Batch<T, R> batch;
    private final Function<T, R> single;
    private final Consumer<List<R>> committed;
    private final int maxBatch;
    private final long waitMillis;
    private final long lingerNanos;
    private final LinkedBlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param single the single-item path (its own connection and transaction), used when a batch is refused
     * @param wait   how long a caller waits for its commit before it is told the store is unavailable
     */
    public GroupCommit(String name, DataSource dataSource, int maxBatch, Duration wait, Batch<T, R> batch, Function<T, R> single) {
        this(name, dataSource, maxBatch, wait, batch, single, results -> { });
    }

    /**
     * @param committed run on the writer thread after each batch committed, before its callers are released, with
     *                  the batch's results in the order written (not after a batch was refused and written item by
     *                  item); a {@link StoreUnavailable} it throws is every caller's answer (the batch committed but
     *                  could not be made safe from a crash, see {@link Durability}), any other failure is only logged
     */
    public GroupCommit(String name, DataSource dataSource, int maxBatch, Duration wait, Batch<T, R> batch, Function<T, R> single,
                       Consumer<List<R>> committed) {
        this(name, dataSource, maxBatch, wait, Duration.ZERO, batch, single, committed);
    }

    /**
     * @param linger how long the writer waits, after the first item of a batch arrived, for more to join it when fewer
     *               than {@link #LINGER_UNTIL} are waiting: a commit costs nearly as much for one item as for many, so at
     *               light load a short wait saves the writer most of its work (zero: write whatever is there at once)
     */
    public GroupCommit(String name, DataSource dataSource, int maxBatch, Duration wait, Duration linger, Batch<T, R> batch,
                       Function<T, R> single, Consumer<List<R>> committed) {
        this.lingerNanos = Math.max(0, linger.toNanos());
        this.committed = committed;
        this.name = name;
        this.dataSource = dataSource;
        this.batch = batch;
        this.single = single;
        this.maxBatch = Math.max(1, maxBatch);
        this.waitMillis = wait.toMillis();
        this.writer = new Thread(this::run, "kyc-" + name + "-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Writes the item with whatever else is waiting; returns once committed. */
    public R submit(T item) {
        try {
            return submitAsync(item).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreUnavailable(name + " write failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailable(name + " write interrupted", e);
        }
    }

    /**
     * Queues the item with whatever else is waiting; the result completes on the writer thread once committed, or with
     * a {@link StoreUnavailable} when the commit is not confirmed within the wait (the write may still commit: the
     * caller answers 503 and the vendor's retry is then a duplicate), or any other failure of the item alone.
     */
    public CompletableFuture<R> submitAsync(T item) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailable(name + ": the router is stopping", null));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        CompletableFuture<R> answer = new CompletableFuture<>();
        queue.add(new Pending<>(item, result));
        result.orTimeout(waitMillis, TimeUnit.MILLISECONDS).whenComplete((r, failure) -> {
            if (failure == null) {
                answer.complete(r);
            } else if (failure instanceof TimeoutException) {
                answer.completeExceptionally(new StoreUnavailable(name + " write not confirmed within " + waitMillis + " ms", failure));
            } else {
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    /** How many items wait for the writer (for tests). */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Pending<T, R>> taken = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, maxBatch - 1);
                linger(taken);
                write(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) { // never leave a caller waiting, never let the writer die
                LOG.error("{} writer failed a batch of {}", name, taken.size(), t);
                taken.forEach(p -> p.result().completeExceptionally(new StoreUnavailable(name + " writer failed", t)));
            } finally {
                taken.clear();
            }
        }
    }

    /**
     * Waits up to the linger time for more items to join a small batch (not once the writer is stopping). A batch of
     * {@link #LINGER_UNTIL} items or more is written at once: the commit's fixed cost is then a small share of it, and
     * under a heavy load the items that arrive meanwhile make the next batch.
     */
    private void linger(List<Pending<T, R>> taken) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        int enough = Math.min(LINGER_UNTIL, maxBatch);
        for (long left; lingerNanos > 0 && !closed && taken.size() < enough && (left = deadline - System.nanoTime()) > 0; ) {
            Pending<T, R> more = queue.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
                return;
            }
            taken.add(more);
            queue.drainTo(taken, maxBatch - taken.size()); // all that waits, up to a full batch
        }
    }

    private void write(List<Pending<T, R>> taken) {
        List<T> items = new ArrayList<>(taken.size());
        taken.forEach(p -> items.add(p.item()));
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            StoreUnavailable down = new StoreUnavailable(name + ": no database connection: " + e.getMessage(), e);
            taken.forEach(p -> p.result().completeExceptionally(down));
            return;
        }
        List<R> results = null;
        SQLException lost = null;
        try (c) {
            c.setAutoCommit(false);
            try {
                results = batch.write(c, items);
                c.commit();
            } catch (StoreUnavailable e) { // the store takes no write now: not a refusal of these items
                rollback(c);
                taken.forEach(p -> p.result().completeExceptionally(e));
                return;
            } catch (SQLException | RuntimeException e) {
                results = null;
                rollback(c);
                if (e instanceof SQLException sql && SqlStates.connectionLost(sql)) {
                    lost = sql;
                } else {
                    LOG.debug("{} batch of {} refused ({}); writing its items one by one", name, taken.size(), e.toString());
                }
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.debug("{} connection could not be reset: {}", name, e.toString()); // Hikari evicts it
        }
        if (lost != null) {
            StoreUnavailable down = new StoreUnavailable(name + ": database connection lost: " + lost.getMessage(), lost);
            taken.forEach(p -> p.result().completeExceptionally(down));
            return;
        }
        if (results != null) {
            try {
                committed.accept(results);
            } catch (StoreUnavailable e) { // committed, but not made safe: the callers hear 503, a retry is a duplicate
                taken.forEach(p -> p.result().completeExceptionally(e));
                return;
            } catch (RuntimeException e) {
                LOG.error("{} after-commit step failed", name, e);
            }
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).result().complete(results.get(i));
            }
            return;
        }
        for (Pending<T, R> p : taken) { // each alone: its own outcome, its own error
            try {
                p.result().complete(single.apply(p.item()));
            } catch (RuntimeException e) {
                p.result().completeExceptionally(e);
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /** Writes what is queued, then stops the writer; later submissions are refused (503). */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending<T, R> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoreUnavailable(name + ": the router stopped", null));
        }
    }
}
