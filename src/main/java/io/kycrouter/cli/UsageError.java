package io.kycrouter.cli;

/** A command given wrong arguments or an unreadable file: a one-line message, exit code 2. */
public final class UsageError extends RuntimeException {

    public UsageError(String message) {
        super(message, null, false, false);
    }
}
