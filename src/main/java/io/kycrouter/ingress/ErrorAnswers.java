package io.kycrouter.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The webhook port's error answers that no route writes, in the routes' JSON shape
 * ({@code {"status":"rejected","error":...,"message":...}}): a request Vert.x could not decode (400, 414 URI too long,
 * 431 headers too large: the server's invalid request handler), a path no route serves (404, the router's error
 * handler), and a request a handler failed (408, 413, ...: the router's failure handler). Vert.x's own answers are an
 * empty body or an HTML page, which a sender cannot read and which some treat as final.
 */
public final class ErrorAnswers {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.ingress");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String maxBodySize;
    private final int maxRequestLine;
    private final int maxHeaders;
    private final BiConsumer<String, String> webhookRefused;

    /**
     * @param maxBodySize    the server's body limit, named in the 413 answer
     * @param maxRequestLine the server's request line limit, named in the 414 answer
     * @param maxHeaders     the server's header size limit, named in the 431 answer
     * @param webhookRefused told of a webhook (a /webhooks/{vendor} path) failed here: its vendor path segment and the
     *                       error code (the console's in-memory refusal counts; the routes count their own refusals)
     */
    public ErrorAnswers(String maxBodySize, int maxRequestLine, int maxHeaders, BiConsumer<String, String> webhookRefused) {
        this.maxBodySize = maxBodySize;
        this.maxRequestLine = maxRequestLine;
        this.maxHeaders = maxHeaders;
        this.webhookRefused = webhookRefused;
    }

    /** Writes a JSON error answer. */
    public static void send(HttpServerResponse response, int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        body.put("error", error);
        body.put("message", message);
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":\"rejected\",\"error\":\"" + error + "\"}";
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }

    /** Answers the router's unmatched requests (404) and wrong methods (405) with JSON. */
    public void register(Router router) {
        router.errorHandler(404, routing -> fail(routing, 404));
        router.errorHandler(405, routing -> fail(routing, 405));
    }

    /** The router's failure handler: a failed request that has no answer yet gets its JSON error. */
    public void failed(RoutingContext routing) {
        if (routing.response().ended()) {
            return;
        }
        if (routing.response().headWritten()) {
            routing.response().close(); // half an answer is gone: the sender sees the connection cut
            return;
        }
        int status = routing.statusCode() < 400 ? 500 : routing.statusCode();
        if (status >= 500 && routing.failure() != null) {
            LOG.warn("request to the webhook port failed outside a route: {}", routing.failure().toString());
        }
        fail(routing, status);
        String path = routing.request().path();
        if (path != null && path.startsWith("/webhooks/")) {
            String vendor = path.substring("/webhooks/".length()).split("/", 2)[0];
            webhookRefused.accept(vendor, status == 408 ? "request_timeout" : status == 413 ? "payload_too_large"
                    : status >= 500 ? "internal_error" : "bad_request");
        }
    }

    private void fail(RoutingContext routing, int status) {
        HttpServerResponse response = routing.response();
        if (response.ended()) {
            return;
        }
        // a request cut off (408) leaves its body unread: the sender is told to close, and one that does not
        // is closed by the idle timeout once it stops sending
        if (status == 408) {
            response.putHeader("Connection", "close");
        }
        switch (status) {
            case 404 -> send(response, 404, "not_found", "nothing is served at this path; webhooks are POSTed to /webhooks/{vendor}");
            case 405 -> send(response, 405, "method_not_allowed", "this path does not take " + routing.request().method().name());
            case 408 -> send(response, 408, "request_timeout", "the request was not complete within the time allowed");
            case 413 -> send(response, 413, "payload_too_large", "body exceeds the server limit of " + maxBodySize + " bytes");
            case 414 -> send(response, 414, "uri_too_long", "the request line exceeds the server limit of " + maxRequestLine + " bytes");
            case 431 -> send(response, 431, "headers_too_large", "the request headers exceed the server limit of " + maxHeaders + " bytes");
            default -> {
                if (status >= 500) {
                    send(response, 500, "internal_error", "the router failed to process the request");
                } else {
                    send(response, status, "bad_request", "the request could not be read");
                }
            }
        }
    }

    /**
     * The server's invalid request handler: the HTTP codec could not read the request (a malformed or oversized request
     * line or headers, an ambiguous body length, see {@link StrictFraming}). Nothing more can be read on the connection,
     * so it is closed after the answer, as Vert.x's own handler does.
     */
    public Handler<HttpServerRequest> invalidRequest() {
        return request -> {
            Throwable cause = request.decoderResult().cause();
            HttpServerResponse response = request.response().putHeader("Connection", "close");
            if (cause instanceof TooLongHttpLineException) {
                send(response, 414, "uri_too_long", "the request line exceeds the server limit of " + maxRequestLine + " bytes");
            } else if (cause instanceof TooLongHttpHeaderException) {
                send(response, 431, "headers_too_large", "the request headers exceed the server limit of " + maxHeaders + " bytes");
            } else if (cause instanceof StrictFraming.Refused refused) {
                send(response, 400, "bad_request", refused.getMessage());
            } else {
                send(response, 400, "bad_request", "the request could not be read as HTTP/1.1");
            }
            response.close();
        };
    }
}
