package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.kycrouter.NotifierTest.httpTarget;
import static io.kycrouter.NotifierTest.parse;
import static io.kycrouter.NotifierTest.postSumsub;
import static io.kycrouter.NotifierTest.settings;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiver's 410 Gone switches its target off. The delivery that received it is about the target, not about
 * its event: it waits, pending, with the target, the events that follow wait in the log behind the target's cursor,
 * and once an operator enables the target every verification's events arrive in the order they were received, the
 * 410'd one first, each once, and none is dead.
 */
class DisabledTargetOrderTest {

    /** One verification's Sumsub events, in the order they are sent. */
    static final List<String> EVENTS = List.of("applicantCreated", "applicantPending", "applicantReviewed");

    /** Generous: the machine is shared by several builds. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void enablingTheTargetDeliversTheVerificationsEventsInOrderTheGoneOneFirst() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            AtomicBoolean gone = new AtomicBoolean(true);
            receiver.answer(() -> gone.get() ? 410 : 200);
            Map<String, String> s = settings("disabled-order");
            httpTarget(s, "crm", receiver.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                send(router, "gone-a", 0);
                await("the 410 recorded and the target disabled").atMost(PATIENCE)
                        .until(() -> disabled(router)
                                && count(router, "select count(*) from outbox where last_status = 410 and claimed_by is null") == 1);
                gone.set(false); // the receiver is back, but nothing may go to the target before it is enabled

                send(router, "gone-a", 1);
                send(router, "gone-a", 2);
                send(router, "gone-b", 0); // another verification, all of it while the target is off
                send(router, "gone-b", 1);
                await("five events stored").atMost(PATIENCE).until(() -> count(router, "select count(*) from canonical_event") == 5);
                assertThat(count(router, "select count(*) from outbox")).as("the later events wait in the log").isEqualTo(1);

                // what the operator sees while the target is off (asserted below, after the order)
                JsonNode pending = json(router.get("/api/deliveries?state=pending&target=crm")).get("deliveries");
                JsonNode dead = json(router.get("/api/deliveries?state=dead")).get("deliveries");
                await("the gauges read").atMost(PATIENCE)
                        .until(() -> gauge(router, "kyc_outbox_pending") + gauge(router, "kyc_outbox_dead") == 5);
                double pendingGauge = gauge(router, "kyc_outbox_pending");
                double deadGauge = gauge(router, "kyc_outbox_dead");
                String attempts = metrics(router);

                HttpResponse<String> enable = router.request("POST", "/api/targets/crm/enable", RunningRouter.OPERATOR_TOKEN);
                assertThat(enable.statusCode()).as(enable.body()).isEqualTo(200);
                assertThat(json(enable).get("wasDisabled").asBoolean()).isTrue();

                await("each verification's last event").atMost(PATIENCE)
                        .until(() -> lastDelivered(receiver, "gone-a") && lastDelivered(receiver, "gone-b", 2));
                Map<String, List<String>> received = delivered(receiver);
                assertThat(received.get("gone-a")).as("gone-a: the 410'd event first, then the later ones, each once")
                        .containsExactlyElementsOf(EVENTS);
                assertThat(received.get("gone-b")).as("gone-b").containsExactlyElementsOf(EVENTS.subList(0, 2));
                await("every delivery done").atMost(PATIENCE).until(() -> router.caughtUp("crm"));
                assertThat(count(router, "select count(*) from outbox where state <> 'delivered'")).isZero();
                assertThat(count(router, "select count(*) from outbox where attempts <> 1"))
                        .as("the 410 spent no attempt: each row's one attempt is its 2xx").isZero();
                assertThat(receiver.requests()).extracting(TestReceiver.Request::answered).containsExactly(410, 200, 200, 200, 200, 200);

                assertThat(dead).as("no dead letter while the target was off").isEmpty();
                assertThat(pending).as("the 410'd delivery; the others are events of the log, counted by the gauge").hasSize(1);
                JsonNode first = pending.get(0);
                assertThat(first.get("verificationId").asText()).isEqualTo("gone-a");
                assertThat(first.get("state").asText()).isEqualTo("pending");
                assertThat(first.get("attempts").asInt()).isZero();
                assertThat(first.get("lastStatus").asInt()).isEqualTo(410);
                assertThat(first.get("lastError").asText()).isEqualTo("target disabled: 410 Gone");
                assertThat(pendingGauge).isEqualTo(5.0);
                assertThat(deadGauge).isZero();
                assertThat(attempts).contains("kyc_notify_attempts_total{outcome=\"gone\",target=\"crm\"} 1.0")
                        .doesNotContain("kyc_notify_attempts_total{outcome=\"dead\",target=\"crm\"}");
            }
        }
    }

    /**
     * Deliveries in flight when the 410 arrives: a probe's 410 switches the target off, seven verifications' events
     * are stored meanwhile, and once the target is enabled the first event of each is sent at once from the cursor
     * (concurrency 8); the receiver holds them all, answers 410 to one, then, once the target is off, 200 or 410 to the
     * others. A 2xx is done; a 410 waits with the target like the first one. Once the target is enabled again, every
     * verification gets its three events in order, each once.
     */
    @ParameterizedTest(name = "the others in flight answered {0}")
    @ValueSource(ints = {200, 410})
    void rowsInFlightWhenTheTargetGoesAreNeitherLostNorOvertaken(int othersAnswer) throws Exception {
        int verifications = 7;
        try (TestReceiver receiver = TestReceiver.start()) {
            AtomicBoolean wave = new AtomicBoolean();
            AtomicInteger arrivals = new AtomicInteger();
            CountDownLatch allInFlight = new CountDownLatch(verifications);
            CountDownLatch targetOff = new CountDownLatch(1);
            receiver.answerByBody(body -> {
                if (!wave.get()) {
                    return 410; // before the wave: the receiver is gone
                }
                if (body.contains("\"probe\"")) {
                    return 200; // the probe's 410'd delivery, sent again once the target is enabled
                }
                int n = arrivals.incrementAndGet();
                if (n > verifications) {
                    return 200;
                }
                allInFlight.countDown();
                hold(allInFlight, 15); // bounded: fewer in flight only weakens the case, never fails it
                if (n == 1) {
                    return 410;
                }
                hold(targetOff, 25);
                return othersAnswer;
            });
            Map<String, String> s = settings("disabled-inflight-" + othersAnswer);
            httpTarget(s, "crm", receiver.url());
            // the held requests must not time out (a retry would be a second attempt): longer than both holds
            s.put("kyc.notify.target.crm.read-timeout-ms", "45000");
            try (RunningRouter router = RunningRouter.start(s)) {
                send(router, "probe", 0);
                await("the target disabled by the probe's 410").atMost(PATIENCE).until(() -> disabled(router));
                for (int i = 0; i < EVENTS.size(); i++) { // received in turns: each verification's first, then second...
                    for (int v = 0; v < verifications; v++) {
                        send(router, "wave-" + v, i);
                    }
                }
                int events = 1 + verifications * EVENTS.size();
                await("every event stored, waiting in the log while the target is off").atMost(PATIENCE)
                        .until(() -> count(router, "select count(*) from canonical_event") == events);
                assertThat(count(router, "select count(*) from outbox")).as("the probe's 410'd delivery").isEqualTo(1);

                wave.set(true);
                enable(router); // the cursor's batch ends before a second event of a verification: all seven at once
                await("the target disabled again by the wave's 410").atMost(PATIENCE)
                        .until(() -> arrivals.get() >= 1 && disabled(router));
                targetOff.countDown();
                long gone = othersAnswer == 410 ? verifications : 1;
                await("the wave's answers recorded").atMost(PATIENCE)
                        .until(() -> arrivals.get() >= verifications && count(router, "select count(*) from outbox"
                                + " where verification_id like 'wave-%' and last_status = 410") == gone);

                enable(router);
                await("each verification's last event").atMost(PATIENCE).until(() -> {
                    for (int v = 0; v < verifications; v++) {
                        if (!lastDelivered(receiver, "wave-" + v)) {
                            return false;
                        }
                    }
                    return true;
                });
                Map<String, List<String>> received = delivered(receiver);
                assertThat(received.remove("probe")).containsExactly(EVENTS.get(0));
                assertThat(received).hasSize(verifications);
                received.forEach((verification, got) -> assertThat(got).as(verification).containsExactlyElementsOf(EVENTS));
                await("every delivery done").atMost(PATIENCE).until(() -> router.caughtUp("crm"));
                assertThat(count(router, "select count(*) from outbox where state <> 'delivered'")).isZero();
                assertThat(count(router, "select count(*) from outbox where attempts <> 1"))
                        .as("no 410 spent an attempt: each row's one attempt is its 2xx").isZero();
                assertThat(receiver.requests().stream().filter(r -> r.answered() == 410).count())
                        .isEqualTo(othersAnswer == 410 ? 1 + verifications : 2);
            }
        }
    }

    /** Replaying the target while it is off finds nothing dead to replay and adds nothing; the order still holds. */
    @Test
    void replayingTheTargetWhileItIsOffNeitherDuplicatesNorReorders() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            AtomicBoolean gone = new AtomicBoolean(true);
            receiver.answer(() -> gone.get() ? 410 : 200);
            Map<String, String> s = settings("disabled-replay");
            httpTarget(s, "crm", receiver.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                send(router, "replay-a", 0);
                await("the 410 recorded and the target disabled").atMost(PATIENCE)
                        .until(() -> disabled(router)
                                && count(router, "select count(*) from outbox where last_status = 410 and claimed_by is null") == 1);
                gone.set(false);
                send(router, "replay-a", 1);

                HttpResponse<String> replay = router.request("POST", "/api/deliveries/replay?target=crm&since=2000-01-01T00:00:00Z",
                        RunningRouter.OPERATOR_TOKEN);
                assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
                assertThat(json(replay).get("deadReplayed").asInt()).as("the 410'd delivery is not dead").isZero();
                assertThat(json(replay).get("neverDeliveredEnqueued").asInt()).isZero();
                long id = ((Number) router.rows("select id from outbox where last_status = 410").get(0).get("id")).longValue();
                assertThat(router.request("POST", "/api/deliveries/" + id + "/replay", RunningRouter.OPERATOR_TOKEN).statusCode())
                        .as("a pending delivery needs no replay").isEqualTo(404);
                assertThat(count(router, "select count(*) from outbox where state = 'pending'")).isEqualTo(1);
                assertThat(count(router, "select count(*) from canonical_event")).as("the second waits in the log").isEqualTo(2);

                enable(router);
                await("both events").atMost(PATIENCE).until(() -> lastDelivered(receiver, "replay-a", 2));
                assertThat(delivered(receiver).get("replay-a")).containsExactlyElementsOf(EVENTS.subList(0, 2));
                // the second waited in the log behind the first (then, if the first was still pending when the cursor
                // reached it, as a row of its own behind it)
                await("both done").atMost(PATIENCE).until(() -> router.caughtUp("crm"));
                assertThat(count(router, "select count(*) from outbox where state <> 'delivered'")).isZero();
            }
        }
    }

    /** Event {@code i} of {@link #EVENTS} for a Sumsub applicant (the verification), signed as Sumsub signs. */
    static void send(RunningRouter router, String applicant, int i) throws Exception {
        postSumsub(router, applicant, EVENTS.get(i), String.valueOf(1_700_000_000_000L + i * 1000L),
                EVENTS.get(i).equals("applicantReviewed") ? "{\"reviewAnswer\":\"GREEN\"}" : null);
    }

    static void enable(RunningRouter router) throws Exception {
        HttpResponse<String> enable = router.request("POST", "/api/targets/crm/enable", RunningRouter.OPERATOR_TOKEN);
        assertThat(enable.statusCode()).as(enable.body()).isEqualTo(200);
    }

    static boolean disabled(RunningRouter router) throws Exception {
        return count(router, "select count(*) from notify_target_state where target = 'crm' and disabled_at is not null") == 1;
    }

    /** Per verification, the event types its receiver took (2xx), in the order it took them. */
    static Map<String, List<String>> delivered(TestReceiver receiver) {
        Map<String, List<String>> received = new LinkedHashMap<>();
        receiver.requests().stream().filter(r -> r.answered() == 200).map(r -> parse(r.body())).forEach(e ->
                received.computeIfAbsent(e.get("verificationId").asText(), k -> new ArrayList<>()).add(e.get("vendorEventType").asText()));
        return received;
    }

    static boolean lastDelivered(TestReceiver receiver, String verification) {
        return lastDelivered(receiver, verification, EVENTS.size());
    }

    /** Whether the receiver took the verification's event number {@code events} (its last one sent). */
    static boolean lastDelivered(TestReceiver receiver, String verification, int events) {
        return delivered(receiver).getOrDefault(verification, List.of()).contains(EVENTS.get(events - 1));
    }

    static long count(RunningRouter router, String sql) throws Exception {
        return router.count(sql);
    }

    static String metrics(RunningRouter router) throws Exception {
        return router.management("/observe/metrics").body();
    }

    /** A per-target outbox gauge of target crm, or -1 while it is not there. */
    static double gauge(RunningRouter router, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{target=\"crm\"} (\\S+)$").matcher(metrics(router));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** The receiver side's wait (on its own thread), bounded so that a missed count never hangs the test. */
    static void hold(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
