package io.kycrouter.delivery;

/**
 * A delivery the router refuses, with the HTTP status and a machine-readable error code.
 * The message is shown to the sender: it says what was wrong and never echoes payload content.
 */
public class DeliveryRejected extends RuntimeException {

    private final int status;
    private final String error;

    public DeliveryRejected(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public static DeliveryRejected badRequest(String error, String message) {
        return new DeliveryRejected(400, error, message);
    }

    public static DeliveryRejected unauthorized(String message) {
        return new DeliveryRejected(401, "unauthorized", message);
    }
}
