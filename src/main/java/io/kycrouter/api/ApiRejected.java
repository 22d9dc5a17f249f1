package io.kycrouter.api;

/**
 * An operator API call the router refuses, with its HTTP status and machine-readable error code; answered as
 * {@code {"status":"rejected","error":...,"message":...}} by {@link OperatorApi#rejected}. The message is shown to
 * the operator and never carries stored payload text.
 */
public final class ApiRejected extends RuntimeException {

    private final int status;
    private final String error;
    private final long retryAfterSeconds;

    public ApiRejected(int status, String error, String message) {
        this(status, error, message, 0);
    }

    /** @param retryAfterSeconds sent as Retry-After when positive */
    public ApiRejected(int status, String error, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    static ApiRejected invalidParameter(String message) {
        return new ApiRejected(400, "invalid_parameter", message);
    }

    static ApiRejected notFound(String message) {
        return new ApiRejected(404, "not_found", message);
    }
}
