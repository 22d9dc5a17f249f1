package io.kycrouter.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One notifier target as configured under {@code kyc.notify.target.<name>.*}.
 *
 * @param type      http, kafka or log
 * @param ordered   deliver a verification's events in order: a later one waits while an earlier one retries
 * @param endpoint  for http the URL, for kafka the topic
 * @param secrets   Standard Webhooks signing keys (http), each signs every delivery (rotation without downtime):
 *                  from "whsec_" + base64 secrets, or plain text used as its UTF-8 bytes; at least 24 bytes each
 * @param headers   extra HTTP headers (for example Authorization)
 * @param concurrency deliveries in flight at once (different verifications; one verification's in order)
 */
public record TargetDefinition(String name, Type type, TargetFilter filter, RetryPolicy retry, boolean ordered,
                               String endpoint, List<byte[]> secrets, Map<String, String> headers,
                               Duration connectTimeout, Duration readTimeout, String brokers, int batchSize,
                               int concurrency) {

    public enum Type { HTTP, KAFKA, LOG }
}
