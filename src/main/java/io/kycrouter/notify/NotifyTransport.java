package io.kycrouter.notify;

import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.util.Map;

/**
 * Prepares the message a target's route sends (router/notifiers.yaml, one route per target from the template of its
 * type, see {@link TargetRoutes}): the signed HTTP request of a webhook target, the keyed record of a Kafka target.
 */
public final class NotifyTransport {

    private final Clock clock;

    public NotifyTransport(Clock clock) {
        this.clock = clock;
    }

    /** Standard Webhooks headers and the target's extra headers (the endpoint and its timeouts are the target's route's). */
    public void http(Exchange exchange) {
        TargetDefinition target = exchange.getVariable("target", TargetDefinition.class);
        String id = exchange.getVariable("eventId", String.class);
        String body = exchange.getMessage().getBody(String.class);
        long timestamp = clock.instant().getEpochSecond();
        exchange.getMessage().removeHeaders("*");
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            exchange.getMessage().setHeader(header.getKey(), header.getValue());
        }
        exchange.getMessage().setHeader("webhook-id", id);
        exchange.getMessage().setHeader("webhook-timestamp", String.valueOf(timestamp));
        exchange.getMessage().setHeader("webhook-signature", StandardWebhooks.sign(target.secrets(), id, timestamp, body));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, HttpMethods.POST); // the enum: a String is converted on every send
        // the endpoint of the target's route (router/notifiers.yaml) is the URL without its query string: that is sent
        // here, as configured
        String query = TargetRoutes.query(target.endpoint());
        if (query != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        }
    }

    /** Key = vendor + verificationId, so one verification's events stay in order on one partition. */
    public void kafka(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader("kafka.KEY", exchange.getVariable("partitionKey", String.class));
        exchange.getMessage().setHeader("webhook-id", exchange.getVariable("eventId", String.class));
    }
}
