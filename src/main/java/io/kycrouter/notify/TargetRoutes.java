package io.kycrouter.notify;

import org.apache.camel.builder.RouteBuilder;

import java.net.URI;

/**
 * One route per configured notifier target, made from the route template of its type in router/notifiers.yaml
 * ({@code notify-http-target}, {@code notify-kafka-target}, {@code notify-log-target}) with the target's settings as
 * template parameters; the route consumes {@code direct:notify-target-<name>} and has the id
 * {@code notify-target-<name>}. Camel Main adds templated routes after every route file is loaded, so the YAML
 * templates exist by then. Signing keys are not parameters (route dumps show parameters): NotifyTransport reads them
 * from the target at each attempt.
 */
public final class TargetRoutes extends RouteBuilder {

    /** The start of every target route's endpoint URI; the target's name follows (the templates' {@code from}). */
    static final String ENDPOINT_PREFIX = "direct:notify-target-";

    private final Targets targets;

    public TargetRoutes(Targets targets) {
        this.targets = targets;
    }

    @Override
    public void configure() {
        for (TargetDefinition target : targets.all()) {
            String routeId = "notify-target-" + target.name();
            switch (target.type()) {
                case HTTP -> templatedRoute("notify-http-target").routeId(routeId)
                        .parameter("name", target.name())
                        .parameter("url", withoutQuery(target.endpoint()))
                        .parameter("connectTimeoutMs", String.valueOf(target.connectTimeout().toMillis()))
                        .parameter("readTimeoutMs", String.valueOf(target.readTimeout().toMillis()));
                case KAFKA -> templatedRoute("notify-kafka-target").routeId(routeId)
                        .parameter("name", target.name())
                        .parameter("topic", target.endpoint())
                        .parameter("brokers", target.brokers());
                case LOG -> templatedRoute("notify-log-target").routeId(routeId)
                        .parameter("name", target.name());
            }
        }
    }

    /** The URL as configured up to its query string, which is sent per request (NotifyTransport.http). */
    static String withoutQuery(String url) {
        URI uri = URI.create(url);
        return uri.getRawQuery() == null ? url : url.substring(0, url.indexOf('?'));
    }

    /** The configured URL's raw query string, or null. */
    static String query(String url) {
        return URI.create(url).getRawQuery();
    }
}
