package io.kycrouter.notify;

import java.time.Duration;
import java.util.Map;

/**
 * One notifier target as configured under {@code kyc.notify.target.<name>.*}.
 *
 * @param type      http, kafka or log
 * @param ordered   deliver a verification's events in order: a later one waits while an earlier one retries
 * @param endpoint  for http the URL, for kafka the topic
 * @param secret    Standard Webhooks signing secret (http); "whsec_" + base64, or any other text used as is
 * @param headers   extra HTTP headers (for example Authorization)
 * @param concurrency deliveries in flight at once (different verifications; one verification's in order)
 */
public record TargetDefinition(String name, Type type, TargetFilter filter, RetryPolicy retry, boolean ordered,
                               String endpoint, byte[] secret, Map<String, String> headers,
                               Duration connectTimeout, Duration readTimeout, String brokers, int batchSize,
                               int concurrency) {

    public enum Type { HTTP, KAFKA, LOG }
}
