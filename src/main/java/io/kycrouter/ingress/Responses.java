package io.kycrouter.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an HTTP answer: a JSON body, the status, and no request header echoed back (platform-http copies
 * message headers into the response, so they are all dropped first).
 */
public final class Responses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    public static void json(Exchange exchange, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":\"error\"}";
        }
        raw(exchange, status, text);
    }

    /** An answer whose JSON text the caller built. */
    public static void raw(Exchange exchange, int status, String json) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json);
    }

    public static void error(Exchange exchange, int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        body.put("error", error);
        body.put("message", message);
        json(exchange, status, body);
        if (status == 405) {
            exchange.getMessage().setHeader("Allow", message.contains("GET") ? "GET" : "POST");
        }
        if (status == 503) {
            exchange.getMessage().setHeader("Retry-After", "30");
        }
    }
}
