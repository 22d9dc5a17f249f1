package io.kycrouter.ingress;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.MessageHelper;

import java.util.List;
import java.util.Map;

/**
 * A platform-http consumer that runs its route on the request's event loop, asynchronously, instead of handing each
 * request to a Vert.x worker thread that then blocks until the route is done (Camel's default: it cannot know whether
 * a route blocks). The webhook route blocks nowhere: authentication, parsing and mapping are computation, and its one
 * wait, the commit, is asynchronous ({@link Ingress#store}), so the route goes on, on the same event loop, once its
 * group commit is done. A request then costs no thread hand-over to a worker and back, and no worker parked per
 * delivery in flight: on two cores those hand-overs were about a sixth of the router's CPU (docs/DECISIONS.md, 79).
 * <p>
 * The answer is the route's message as the ingress leaves it ({@link Responses}): the status, Content-Type and the
 * headers the endpoint's filter lets out, the body as text. Anything else left on the exchange (a failure the route's
 * error handler did not take) is a 500 with a JSON body that says nothing of the internals.
 */
final class EventLoopConsumer extends VertxPlatformHttpConsumer {

    private static final String INTERNAL_ERROR =
            "{\"status\":\"rejected\",\"error\":\"internal_error\",\"message\":\"the router failed to process the delivery; it was not stored\"}";

    EventLoopConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers, String routerName) {
        super(endpoint, processor, handlers, routerName);
    }

    @Override
    protected void handleRequest(RoutingContext routing) {
        if (isSuspended()) {
            routing.response().setStatusCode(503);
            routing.end();
            return;
        }
        Context context = Vertx.currentContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, routing).onComplete(read -> {
            if (read.failed()) {
                fail(routing, exchange, read.cause());
                return;
            }
            try {
                createUoW(exchange);
            } catch (Exception e) {
                fail(routing, exchange, e);
                return;
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                if (context == null || Vertx.currentContext() == context) {
                    answer(routing, exchange);
                } else { // the route went on elsewhere: the answer is written from the request's own event loop
                    context.runOnContext(ignored -> answer(routing, exchange));
                }
            });
        });
    }

    private void answer(RoutingContext routing, Exchange exchange) {
        try {
            HttpServerResponse response = routing.response();
            if (!response.ended() && !response.closed()) {
                write(response, exchange);
            }
        } catch (RuntimeException e) {
            getExceptionHandler().handleException("Failed writing the answer of " + getEndpoint().getPath(), exchange, e);
            if (!routing.response().ended()) {
                routing.fail(e);
            }
        } finally {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }
    }

    private void write(HttpServerResponse response, Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (exchange.getException() != null || !(body == null || body instanceof String)) {
            response.setStatusCode(500).putHeader("Content-Type", "application/json").end(INTERNAL_ERROR);
            return;
        }
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        response.setStatusCode(status != null ? status : body == null ? 204 : 200);
        HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            Object value = header.getValue();
            if (value != null && (filter == null || !filter.applyFilterToCamelHeaders(header.getKey(), value, exchange))) {
                response.putHeader(header.getKey(), value.toString());
            }
        }
        String type = MessageHelper.getContentType(message);
        if (type != null) {
            response.putHeader("Content-Type", type);
        }
        if (body == null) {
            response.end();
        } else {
            response.end((String) body);
        }
    }

    private void fail(RoutingContext routing, Exchange exchange, Throwable failure) {
        getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(), failure);
        routing.fail(failure);
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }
}
