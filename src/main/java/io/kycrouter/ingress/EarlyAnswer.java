package io.kycrouter.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON error answer sent by a Vert.x handler, before the request reaches a route: the same shape as the routes'
 * answers ({@code {"status":"rejected","error":...,"message":...}}).
 */
final class EarlyAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        body.put("error", error);
        body.put("message", message);
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":\"rejected\"}";
        }
        routing.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(text);
    }
}
