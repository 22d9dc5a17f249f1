package io.kycrouter.ingress;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A JSON error answer sent by a Vert.x handler, before the request reaches a route: the same shape as the routes'
 * answers ({@code {"status":"rejected","error":...,"message":...}}).
 */
final class EarlyAnswer {

    private EarlyAnswer() {
    }

    /** 503 {@code overloaded} with {@code Retry-After}: the sender is to come back later. */
    static void overloaded(RoutingContext routing, String message) {
        routing.response().putHeader("Retry-After", "1");
        send(routing, 503, "overloaded", message);
    }

    /**
     * Sends the answer. When the body has not all arrived, the sender is told to close: its body is not read (closing
     * at once, with the body still arriving, would reset the connection and could destroy this answer before the
     * sender read it; {@link LingeringClose} closes it if the sender goes on sending).
     */
    static void send(RoutingContext routing, int status, String error, String message) {
        if (routing.response().ended()) {
            return;
        }
        if (!routing.request().isEnded()) {
            routing.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ErrorAnswers.send(routing.response(), status, error, message);
    }
}
