package io.kycrouter.notify;

import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * Prepares the message a transport route sends (routes/notifiers.yaml): the signed HTTP request of a webhook
 * target, the keyed record of a Kafka target.
 */
public final class NotifyTransport {

    /** Standard Webhooks headers and the target's extra headers; the endpoint URI with the target's timeouts. */
    public void http(Exchange exchange) {
        TargetDefinition target = exchange.getVariable("target", TargetDefinition.class);
        String id = exchange.getVariable("eventId", String.class);
        String body = exchange.getMessage().getBody(String.class);
        long timestamp = System.currentTimeMillis() / 1000;
        exchange.getMessage().removeHeaders("*");
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            exchange.getMessage().setHeader(header.getKey(), header.getValue());
        }
        exchange.getMessage().setHeader("webhook-id", id);
        exchange.getMessage().setHeader("webhook-timestamp", String.valueOf(timestamp));
        exchange.getMessage().setHeader("webhook-signature", StandardWebhooks.sign(target.secrets(), id, timestamp, body));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, HttpMethods.POST); // the enum: a String is converted on every send
        String url = target.endpoint();
        // Camel http endpoint options: no exception on non-2xx (the dispatcher classifies the status), and the
        // target's own connect and read timeouts. Automatic retries are off for the whole component (see
        // config/application.properties): retries are the outbox's, recorded in the database.
        exchange.setVariable("endpoint", url + (url.contains("?") ? "&" : "?")
                + "throwExceptionOnFailure=false"
                + "&httpClient.connectTimeout=" + target.connectTimeout().toMillis()
                + "&httpClient.connectionRequestTimeout=" + target.connectTimeout().toMillis()
                + "&httpClient.responseTimeout=" + target.readTimeout().toMillis()
                + "&httpConnection.soTimeout=" + target.readTimeout().toMillis());
    }

    /** Key = vendor + verificationId, so one verification's events stay in order on one partition. */
    public void kafka(Exchange exchange) {
        TargetDefinition target = exchange.getVariable("target", TargetDefinition.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader("kafka.KEY", exchange.getVariable("partitionKey", String.class));
        exchange.getMessage().setHeader("webhook-id", exchange.getVariable("eventId", String.class));
        exchange.setVariable("endpoint", "kafka:" + target.endpoint() + "?brokers=" + target.brokers());
    }
}
