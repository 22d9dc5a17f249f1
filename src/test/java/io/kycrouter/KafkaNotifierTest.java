package io.kycrouter;

import io.kycrouter.support.EmbeddedKafkaBroker;
import io.kycrouter.support.MissingService;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kafka target against a real broker: one verification's events stay on one partition, in order. */
class KafkaNotifierTest {

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        try {
            broker = EmbeddedKafkaBroker.start();
        } catch (Throwable e) {
            throw MissingService.skipOrFail("in-process Kafka broker could not start: " + e, e);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void eventsOfOneVerificationArriveOnOnePartitionInOrder() throws Exception {
        String topic = "kyc-events";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("kafka"));
        s.put("kyc.notify.poll-period-ms", "50");
        s.put("kyc.notify.targets", "bus");
        s.put("kyc.notify.target.bus.type", "kafka");
        s.put("kyc.notify.target.bus.topic", topic);
        s.put("kyc.notify.target.bus.brokers", broker.bootstrapServers());
        List<String> sessions = List.of("kafka-a", "kafka-b", "kafka-c", "kafka-d");
        String[] statuses = {"Not Started", "In Progress", "In Review", "Approved"};
        try (RunningRouter router = RunningRouter.start(s)) {
            for (int step = 0; step < statuses.length; step++) {
                for (String session : sessions) {
                    byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"" + statuses[step] + "\",\"created_at\":"
                            + (1_727_681_000L + step * 60) + ",\"vendor_data\":\"u\"}").getBytes(StandardCharsets.UTF_8);
                    assertThat(router.post("/webhooks/didit", body, Signer.diditRaw(body)).statusCode()).isEqualTo(200);
                }
            }
            await("16 records delivered to Kafka").atMost(RunningRouter.WAIT)
                    .until(() -> router.caughtUp("bus") && router.count("select count(*) from canonical_event") == 16);
            assertThat(router.count("select count(*) from outbox where target = 'bus'")).as("none failed").isZero();
        }

        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "kyc-test");
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < 16 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(16);
        Map<String, Set<Integer>> partitions = new HashMap<>();
        Map<String, List<String>> order = new LinkedHashMap<>();
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.key()).startsWith("didit:");
            partitions.computeIfAbsent(r.key(), k -> new java.util.HashSet<>()).add(r.partition());
            order.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(RunningRouter.JSON.readTree(r.value()).get("vendorEventType").asText());
            assertThat(RunningRouter.JSON.readTree(r.value()).get("verificationId").asText()).isEqualTo(r.key().substring(6));
        }
        assertThat(partitions).hasSize(4);
        partitions.values().forEach(p -> assertThat(p).hasSize(1));
        order.values().forEach(o -> assertThat(o).containsExactly(statuses));
    }
}
