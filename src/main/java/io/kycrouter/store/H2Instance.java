package io.kycrouter.store;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import java.sql.Connection;
import java.sql.SQLException;

/** Which embedded H2 database instance a connection is on: a new one after H2 closed and reopened its file. */
final class H2Instance {

    private H2Instance() {
    }

    /** The connection's H2 database object (null when it is not an embedded H2 database). */
    static Object of(Connection c) throws SQLException {
        if (c.isWrapperFor(JdbcConnection.class) && c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            return local.getDatabase();
        }
        return null;
    }

    /**
     * Writes everything committed on {@code c}'s embedded H2 database so far to its file, as {@code CHECKPOINT} does,
     * without holding H2's store lock while it is written. Returns false (nothing done) on any other database: the
     * caller runs {@code CHECKPOINT} there.
     * <p>
     * {@code CHECKPOINT} holds the store lock while every page changed since the last store is serialised, compressed
     * and written, behind any store already under way: hundreds of milliseconds under load on two cores. A writer
     * whose changes outgrow H2's write buffer meanwhile needs that lock, and every delivery in its commit waited with
     * it (docs/DECISIONS.md, 80). Here the store lock is only held to start a store (as H2's own background writer
     * does); the wait for H2's writer threads to finish it, and every store before it, holds none of H2's locks.
     */
    static boolean store(Connection c) throws SQLException {
        if (!(of(c) instanceof Database database) || database.getStore() == null) {
            return false;
        }
        MVStore store = database.getStore().getMvStore();
        if (store.getFileStore() == null) {
            return false;
        }
        // any store started from now on takes everything committed so far: start one, or see another start (a store
        // under way holds the lock: wait for H2's writer threads to finish it, then try again)
        long before = store.getCurrentVersion();
        while (store.hasUnsavedChanges() && store.getCurrentVersion() == before && store.tryCommit() < 0) {
            store.getFileStore().executeFileStoreOperation(() -> { });
            if (store.isClosed()) {
                throw new SQLException("the embedded database closed while its file was being written");
            }
        }
        store.getFileStore().executeFileStoreOperation(() -> { }); // every store started so far is written
        // a store that failed on H2's writer threads (a full disk) closes the database rather than throwing here
        if (store.getPanicException() != null || store.isClosed()) {
            throw new SQLException("the embedded database could not write its file: " + store.getPanicException());
        }
        return true;
    }
}
