package io.kycrouter.support;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a service it needs (the in-process Kafka broker, the PostgreSQL server of the PostgreSQL
 * profile) cannot start: on a developer's machine it is skipped, its reason printed on the console by
 * {@link SkipReasonsOnConsole}; in CI (the environment variable {@code CI=true}, as CI services and .ci/run set
 * it) it fails, so a broken service can never turn the suite green by skipping what it should have checked.
 */
public final class MissingService {

    private MissingService() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails the test in CI, aborts (skips) it elsewhere; never returns normally. */
    public static RuntimeException skipOrFail(String reason, Throwable cause) {
        if (inCi()) {
            throw new AssertionError(reason + " (CI=true: the service must start in CI, so this fails instead of skipping)", cause);
        }
        Assumptions.abort(reason);
        return new IllegalStateException(reason); // not reached: abort throws
    }
}
