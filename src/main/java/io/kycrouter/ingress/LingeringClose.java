package io.kycrouter.ingress;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * Closes the connection of a sender that goes on sending its body after it was answered (a 401, 404, 408, 413 or 503
 * sent before the body was read), once it has had time to read the answer. Such an answer says
 * {@code Connection: close} and leaves the closing to the sender: closing at once, with the body still arriving,
 * resets the connection and can destroy the answer before the sender reads it. A sender that stops is closed by the
 * idle timeout; one that keeps trickling its body would hold the connection for ever, and reconnecting would be its
 * only cost. This is the lingering close of other servers (nginx's {@code lingering_time}).
 */
public final class LingeringClose implements Handler<RoutingContext> {

    private final long lingerMillis;

    /**
     * @param linger how long after its answer a sender may go on sending before its connection is closed (the body
     *               progress timeout; when that is off, five seconds)
     */
    public LingeringClose(Duration linger) {
        this.lingerMillis = linger.isZero() ? 5_000 : linger.toMillis();
    }

    @Override
    public void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        routing.addEndHandler(answered -> {
            if (answered.succeeded() && !request.isEnded()) {
                routing.vertx().setTimer(lingerMillis, id -> {
                    if (!request.isEnded()) {
                        request.connection().close();
                    }
                });
            }
        });
        routing.next();
    }
}
