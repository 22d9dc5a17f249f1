package io.kycrouter.store;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Migrates the schema (Flyway) on a thread of its own while Camel loads and initialises the route files, and holds the
 * context's start until it is done: no route, the ingress's included, starts before the schema is there, and what
 * needs the schema at start ({@link #then}, e.g. the targets' cursors) runs then, once. The two took 0.4-0.65 s and
 * 0.6 s one after the other (docs/DECISIONS.md, 76). A failed migration fails the start with its own message.
 */
public final class SchemaMigration extends LifecycleStrategySupport {

    private final CompletableFuture<Void> migrated;
    private final List<Runnable> afterwards = new CopyOnWriteArrayList<>();

    private SchemaMigration(CompletableFuture<Void> migrated) {
        this.migrated = migrated;
    }

    /** Starts migrating now, on a thread of its own. */
    public static SchemaMigration start(HikariDataSource dataSource) {
        CompletableFuture<Void> migrated = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                Database.migrate(dataSource);
                migrated.complete(null);
            } catch (Throwable e) { // reported by the start it holds up
                migrated.completeExceptionally(e);
            }
        }, "kyc-db-migration");
        thread.setDaemon(true); // a start that fails before waiting for it must not be kept alive by it
        thread.start();
        return new SchemaMigration(migrated);
    }

    /** Runs {@code work}, which needs the schema, when the schema is there (before any route starts). */
    public SchemaMigration then(Runnable work) {
        afterwards.add(work);
        return this;
    }

    @Override
    public void onContextStarting(CamelContext context) {
        awaitSchema();
    }

    /** Waits until the schema is migrated, then runs what waited for it, once; rethrows the migration's failure. */
    public void awaitSchema() {
        try {
            migrated.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        for (Runnable work : afterwards) {
            afterwards.remove(work);
            work.run();
        }
    }
}
