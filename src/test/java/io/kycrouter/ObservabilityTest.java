package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.CuttableDatabase;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health, metrics and retention: what operators rely on in production. */
class ObservabilityTest {

    @Test
    void readinessFailsWhileTheDatabaseIsUnreachableAndRecovers() throws Exception {
        Path dir = RunningRouter.tempDir("ready");
        try (CuttableDatabase network = CuttableDatabase.start(dir);
             RunningRouter router = RunningRouter.start(network.configure(RunningRouter.defaults(dir)))) {
            await("ready").atMost(RunningRouter.WAIT).until(() -> status(router, "/observe/health/ready") == 200);
            assertThat(router.management("/observe/health/live").statusCode()).isEqualTo(200);

            network.cut();
            await("not ready while the database is away").atMost(RunningRouter.WAIT)
                    .until(() -> status(router, "/observe/health/ready") == 503);
            HttpResponse<String> ready = router.management("/observe/health/ready");
            assertThat(ready.body()).contains("database");
            assertThat(router.management("/observe/health/live").statusCode()).as("still alive").isEqualTo(200);

            network.mend();
            await("ready again").atMost(RunningRouter.WAIT).until(() -> status(router, "/observe/health/ready") == 200);
        }
    }

    static int status(RunningRouter router, String path) throws Exception {
        return router.management(path).statusCode();
    }

    @Test
    void metricsCountDeliveriesAndNotifications() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("metrics"));
            s.put("kyc.notify.poll-period-ms", "50");
            s.put("kyc.notify.targets", "crm");
            s.put("kyc.notify.target.crm.type", "http");
            s.put("kyc.notify.target.crm.url", receiver.url());
            s.put("kyc.notify.target.crm.secret", "metrics-notify-secret-of-24-bytes");
            try (RunningRouter router = RunningRouter.start(s)) {
                byte[] body = example("sumsub/applicantPending.json");
                router.post("/webhooks/sumsub", body, Signer.sumsub(body));
                router.post("/webhooks/sumsub", body, Signer.sumsub(body));
                Map<String, String> bad = Signer.sumsub(body);
                bad.put("X-Payload-Digest", "00");
                router.post("/webhooks/sumsub", body, bad);
                router.post("/webhooks/nope", body, Signer.sumsub(body));
                await("notification delivered").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);
                await("delivery counted").atMost(RunningRouter.WAIT)
                        .until(() -> metrics(router).contains("kyc_notify_attempts_total{outcome=\"delivered\",target=\"crm\"} 1.0"));

                String metrics = metrics(router);
                assertThat(metrics)
                        .contains("kyc_webhooks_received_total{outcome=\"accepted\",vendor=\"sumsub\"} 1.0")
                        .contains("kyc_webhooks_received_total{outcome=\"duplicate\",vendor=\"sumsub\"} 1.0")
                        .contains("kyc_webhooks_received_total{outcome=\"unauthorized\",vendor=\"sumsub\"} 1.0")
                        .contains("kyc_webhooks_received_total{outcome=\"unknown_vendor\",vendor=\"unknown\"} 1.0")
                        .contains("kyc_webhook_processing_seconds_count{vendor=\"sumsub\"} 3")
                        .contains("kyc_outbox_pending{target=\"crm\"}")
                        .contains("kyc_outbox_oldest_pending_seconds{target=\"crm\"}")
                        .contains("kyc_outbox_dead{target=\"crm\"}")
                        .contains("kyc_db_compaction_seconds_count")
                        .contains("jvm_memory_used_bytes")
                        // Camel's route policy is off (its timers cost every webhook a String.format per route)
                        .doesNotContain("camel_exchanges_total");
                // the outbox gauges read the database, and must still do so after a garbage collection
                System.gc();
                // the gauges must read the database, not NaN, throughout a window longer than their cache (5 s)
                await("outbox gauges read the database after a collection").during(Duration.ofMillis(5_100))
                        .atMost(RunningRouter.WAIT).untilAsserted(() ->
                                assertThat(metrics(router).lines().filter(l -> l.startsWith("kyc_outbox_")))
                                        .hasSize(3)
                                        .allSatisfy(line -> assertThat(line).doesNotEndWith("NaN"))
                                        .contains("kyc_outbox_pending{target=\"crm\"} 0.0",
                                                "kyc_outbox_dead{target=\"crm\"} 0.0"));
            }
        }
    }

    static String metrics(RunningRouter router) throws Exception {
        return router.management("/observe/metrics").body();
    }

    @Test
    void retentionPurgesOnlyOldProcessedBodiesAndKeepsTheirKeys() throws Exception {
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("retention"));
        s.put("kyc.retention.inbox-body-days", "30");
        s.put("kyc.retention.batch-size", "2");
        try (RunningRouter router = RunningRouter.start(s)) {
            byte[] body = example("sumsub/applicantReviewed-1.json");
            long recent = json(router.post("/webhooks/sumsub", body, Signer.sumsub(body))).get("id").asLong();
            router.canonicalEventOf(recent);
            try (Connection c = router.db(); PreparedStatement insert = c.prepareStatement(
                    "insert into inbox (vendor, event_key, received_at, body, processed_at) values ('sumsub', ?, ?, ?, ?)")) {
                for (int i = 0; i < 5; i++) { // old and processed: purged, in batches of 2
                    insert.setString(1, "old-" + i);
                    insert.setObject(2, OffsetDateTime.now(ZoneOffset.UTC).minusDays(40));
                    insert.setString(3, "{\"old\":" + i + "}");
                    insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC).minusDays(40));
                    insert.executeUpdate();
                }
                insert.setString(1, "old-unprocessed"); // old but never mapped: kept for the recovery
                insert.setObject(2, OffsetDateTime.now(ZoneOffset.UTC).minusDays(40));
                insert.setString(3, "{\"pending\":true}");
                insert.setObject(4, null);
                insert.executeUpdate();
            }
            router.main().getCamelContext().createProducerTemplate().sendBody("direct:retention", null);

            assertThat(router.count("select count(*) from inbox where event_key like 'old-%' and event_key <> 'old-unprocessed' and body is null"))
                    .isEqualTo(5);
            assertThat(router.count("select count(*) from inbox where event_key = 'old-unprocessed' and body is not null")).isEqualTo(1);
            assertThat(router.count("select count(*) from inbox where id = ? and body is not null", recent)).isEqualTo(1);
            assertThat(router.count("select count(*) from inbox")).isEqualTo(7); // rows and keys stay

            // a purged row's key still dedupes: the vendor's late retry is recognised
            try (Connection c = router.db(); PreparedStatement age = c.prepareStatement(
                    "update inbox set received_at = ?, processed_at = ? where id = ?")) {
                age.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusDays(40));
                age.setObject(2, OffsetDateTime.now(ZoneOffset.UTC).minusDays(40));
                age.setLong(3, recent);
                age.executeUpdate();
            }
            router.main().getCamelContext().createProducerTemplate().sendBody("direct:retention", null);
            assertThat(router.count("select count(*) from inbox where id = ? and body is null", recent)).isEqualTo(1);
            HttpResponse<String> retry = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(json(retry).get("duplicate").asBoolean()).isTrue();
            assertThat(router.count("select count(*) from canonical_event")).isEqualTo(1);
        }
    }
}
