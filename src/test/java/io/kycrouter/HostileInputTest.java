package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.security.SignedJson;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.kycrouter.support.RunningRouter.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded mutational fuzzer: 10,000 mutated deliveries per vendor (truncated and invalid JSON, deep nesting,
 * huge numbers, duplicate keys, wrong types, missing fields, invalid UTF-8, oversized bodies, wrong content
 * types; with valid, missing, forged, replayed and stale credentials). Every answer is a 200 (the mutation
 * left an authenticated, well-formed delivery) or a 4xx with a JSON error; never a 5xx; nothing
 * unauthenticated is stored, and the router still works afterwards.
 */
class HostileInputTest {

    static final long SEED = Long.getLong("kyc.fuzz.seed", 20261123L);
    static final int PER_VENDOR = Integer.getInteger("kyc.fuzz.per-vendor", 10_000);
    static final Set<Integer> ALLOWED = Set.of(200, 400, 401, 413, 415);
    static final int SHARDS = 8;

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("fuzz"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    /** A vendor under fuzzing: its seed payloads and how to sign a body validly. */
    record Vendor(String name, List<byte[]> seeds, Function<byte[], Map<String, String>> sign) {
    }

    static List<Vendor> vendors() throws Exception {
        JsonBodies json = new JsonBodies();
        return List.of(
                new Vendor("sumsub", List.of(example("sumsub/applicantReviewed-1.json"), example("sumsub/applicantCreated.json"),
                        example("sumsub/applicantActionPending.json")), Signer::sumsub),
                new Vendor("didit", List.of(example("didit/approved.json"), example("didit/declined-unicode.json")), Signer::diditRaw),
                new Vendor("treezor", List.of(example("treezor/user.kycreview.json"), example("treezor/qes.finalized-2.json"),
                        example("treezor/kycliveness.update-unicode.json")), body -> treezorHeaders()),
                new Vendor("argos", List.of(example("argos/approved.json"), example("argos/rejected.json")), body -> Signer.argos()),
                new Vendor("veratad", List.of(example("veratad/journey-3.json"), example("veratad/documented.json")),
                        body -> Signer.veratadBasic()));
    }

    static Map<String, String> treezorHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "text/plain");
        return h;
    }

    /** Treezor signs inside the body: re-sign object_payload when the mutated body still parses. */
    static byte[] treezorSign(byte[] body) {
        try {
            Map<String, Object> doc = new JsonBodies().parseObject(body);
            Map<String, Object> event = doc.get("webhook") instanceof Map<?, ?> inner ? castMap(inner) : doc;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(RunningRouter.TREEZOR_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            event.put("object_payload_signature", Base64.getEncoder().encodeToString(
                    mac.doFinal(SignedJson.php(event.get("object_payload")).getBytes(StandardCharsets.UTF_8))));
            return RunningRouter.JSON.writeValueAsBytes(doc);
        } catch (Exception e) {
            return body; // not JSON any more: sent as it is
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @Test
    void tenThousandMutatedDeliveriesPerVendorGetA4xxOrAnHonest200AndNeverA5xx() throws Exception {
        long inboxBefore = router.count("select count(*) from inbox");
        AtomicLong fresh = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SHARDS);
        try {
            List<Future<?>> work = new ArrayList<>();
            int vendorIndex = 0;
            for (Vendor vendor : vendors()) {
                long vendorSeed = SEED + 7919L * vendorIndex++;
                for (int shard = 0; shard < SHARDS; shard++) {
                    int from = shard * PER_VENDOR / SHARDS;
                    int to = (shard + 1) * PER_VENDOR / SHARDS;
                    long shardSeed = vendorSeed * 31 + shard;
                    work.add(pool.submit(() -> {
                        Random random = new Random(shardSeed);
                        for (int i = from; i < to; i++) {
                            Attempt attempt = mutate(vendor, random, i);
                            HttpResponse<String> r;
                            try {
                                r = router.post("/webhooks/" + vendor.name(), attempt.body, attempt.headers);
                            } catch (java.io.IOException e) {
                                // A delivery refused before its body is read (no credential, too large) is answered and
                                // closed while the client may still be sending; on rare timings the client's own write
                                // fails first and it never reads the answer. The same request again must get it.
                                if (!attempt.authentic || attempt.what.startsWith("oversized")) {
                                    try {
                                        r = router.post("/webhooks/" + vendor.name(), attempt.body, attempt.headers);
                                    } catch (java.io.IOException again) {
                                        problems.add(vendor.name() + " #" + i + " (" + attempt.what + "): no answer, twice: " + again);
                                        continue;
                                    }
                                } else {
                                    problems.add(vendor.name() + " #" + i + " (" + attempt.what + "): no answer: " + e);
                                    continue;
                                }
                            }
                            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
                            if (!ALLOWED.contains(r.statusCode())) {
                                problems.add(vendor.name() + " #" + i + " (" + attempt.what + "): HTTP " + r.statusCode() + " " + r.body());
                                continue;
                            }
                            JsonNode answer;
                            try {
                                answer = RunningRouter.JSON.readTree(r.body());
                            } catch (java.io.IOException e) {
                                problems.add(vendor.name() + " #" + i + " (" + attempt.what + "): HTTP " + r.statusCode()
                                        + " answer is not JSON: " + r.body());
                                continue;
                            }
                            if (r.statusCode() == 200) {
                                if (!attempt.authentic) {
                                    problems.add(vendor.name() + " #" + i + " (" + attempt.what + "): unauthenticated delivery accepted");
                                }
                                if (!answer.get("duplicate").asBoolean()) {
                                    fresh.incrementAndGet();
                                }
                            } else if (!answer.hasNonNull("error") || !answer.hasNonNull("message")) {
                                problems.add(vendor.name() + " #" + i + ": error without a JSON reason: " + r.body());
                            }
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("fuzz seed " + SEED + ", " + PER_VENDOR + " per vendor, answers by status: " + statuses);
        problems.stream().limit(50).forEach(p -> System.out.println("FUZZ PROBLEM " + p.substring(0, Math.min(p.length(), 400))));
        assertThat(problems).as("first problems: " + problems.stream().limit(5).toList()).isEmpty();
        assertThat(router.count("select count(*) from inbox") - inboxBefore).as("stored = accepted, nothing else").isEqualTo(fresh.get());
        assertThat(statuses.keySet()).contains(200, 400, 401);

        // every accepted delivery is mapped or, where it cannot be, parked with its error
        await("every accepted delivery mapped or parked").atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> router.count("select count(*) from inbox where processed_at is null and attempts = 0") == 0);

        // still healthy: a valid delivery is accepted and mapped
        byte[] body = ("{\"applicantId\":\"after-fuzz\",\"correlationId\":\"c\",\"type\":\"applicantCreated\","
                + "\"createdAtMs\":\"2024-01-01 00:00:00.000\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> ok = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(ok.statusCode()).isEqualTo(200);
        router.canonicalEventOf(RunningRouter.json(ok).get("id").asLong());
    }

    record Attempt(byte[] body, Map<String, String> headers, boolean authentic, String what) {
    }

    static Attempt mutate(Vendor vendor, Random random, int i) {
        byte[] seed = vendor.seeds().get(random.nextInt(vendor.seeds().size()));
        String text = new String(seed, StandardCharsets.UTF_8);
        // a unique event key for most attempts, so accepted ones are new deliveries, not duplicates
        text = text.replaceFirst("(\"(?:correlationId|session_id|webhook_id|submission_id|request_id)\"\\s*:\\s*\")",
                "$1fz" + i + "-");
        String what;
        byte[] body;
        switch (random.nextInt(12)) {
            case 0 -> { what = "truncated"; body = truncate(text, random); }
            case 1 -> { what = "byte flipped"; body = flip(text.getBytes(StandardCharsets.UTF_8), random); }
            case 2 -> { what = "invalid UTF-8"; body = invalidUtf8(text, random); }
            case 3 -> { what = "deep nesting"; body = replaceValue(text, random, "[".repeat(10_000) + "]".repeat(10_000)); }
            case 4 -> { what = "huge number"; body = replaceValue(text, random, random.nextBoolean() ? "1e999999999" : "9".repeat(5000)); }
            case 5 -> { what = "duplicate key"; body = duplicateKey(text); }
            case 6 -> { what = "wrong type"; body = replaceValue(text, random,
                    List.of("123", "true", "null", "[]", "{}", "\"\"", "-1.5e300", "[{\"a\":[1,{}]}]").get(random.nextInt(8))); }
            case 7 -> { what = "field removed"; body = removeField(text, random); }
            case 8 -> { what = "oversized"; body = oversized(text, random); }
            case 9 -> { what = "not JSON at all"; body = randomBytes(random); }
            case 10 -> { what = "empty"; body = new byte[0]; }
            default -> { what = "unchanged"; body = text.getBytes(StandardCharsets.UTF_8); }
        }
        if (vendor.name().equals("treezor")) {
            body = treezorSign(body);
        }
        Map<String, String> headers = new LinkedHashMap<>(vendor.sign().apply(body));
        boolean authentic = true;
        int credential = random.nextInt(20);
        if (credential < 3) {
            what += ", credential missing";
            authentic = false;
            headers.keySet().removeIf(h -> !h.equalsIgnoreCase("Content-Type"));
            if (vendor.name().equals("treezor")) {
                body = new String(body, StandardCharsets.ISO_8859_1).replace("\"object_payload_signature\"", "\"ops\"")
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
        } else if (credential < 6) {
            what += ", credential forged";
            authentic = false;
            forge(vendor.name(), headers, random);
            if (vendor.name().equals("treezor")) {
                body = new String(body, StandardCharsets.ISO_8859_1).replaceAll("\"object_payload_signature\":\"[^\"]*\"",
                        "\"object_payload_signature\":\"" + Base64.getEncoder().encodeToString(randomBytes(random, 32)) + "\"")
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
        } else if (credential < 7 && vendor.name().equals("didit")) {
            what += ", replayed outside the window";
            authentic = false;
            headers = Signer.diditRaw(body, Instant.now().getEpochSecond() - 3600);
        } else if (credential < 8) {
            what += ", wrong content type";
            headers.put("Content-Type", List.of("text/html", "application/xml", "multipart/form-data", "").get(random.nextInt(4)));
            authentic = false;
        }
        if (random.nextInt(200) == 0) {
            what += ", huge header";
            headers.put("X-Padding", "p".repeat(6000));
        }
        return new Attempt(body, headers, authentic, what);
    }

    static void forge(String vendor, Map<String, String> headers, Random random) {
        switch (vendor) {
            case "sumsub" -> headers.put("X-Payload-Digest", HexFormat.of().formatHex(randomBytes(random, 32)));
            case "didit" -> headers.put("X-Signature", HexFormat.of().formatHex(randomBytes(random, 32)));
            case "argos" -> headers.put("X-Webhook-Token", HexFormat.of().formatHex(randomBytes(random, 12)));
            case "veratad" -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("veratad-user:" + random.nextInt()).getBytes(StandardCharsets.UTF_8)));
            default -> { }
        }
    }

    static byte[] truncate(String text, Random random) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(all, random.nextInt(Math.max(1, all.length)));
    }

    static byte[] flip(byte[] bytes, Random random) {
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    static byte[] invalidUtf8(String text, Random random) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(all.length);
        out.write(all, 0, at);
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80}};
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.write(all, at, all.length - at);
        return out.toByteArray();
    }

    /** Replaces the value of one "key": value pair (a string or a number) with {@code replacement}. */
    static byte[] replaceValue(String text, Random random, String replacement) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\"[A-Za-z_-]+\"\\s*:\\s*)(\"[^\"]*\"|-?\\d[\\d.eE+-]*|true|false|null)")
                .matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(2), m.end(2)});
        }
        if (spans.isEmpty()) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return (text.substring(0, span[0]) + replacement + text.substring(span[1])).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] duplicateKey(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\s*(\"[A-Za-z_-]+\"\\s*:\\s*(\"[^\"]*\"|[^,}]+))").matcher(text);
        if (!m.find()) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return (text.substring(0, m.end()) + ", " + m.group(1) + text.substring(m.end())).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] removeField(String text, Random random) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*\"[A-Za-z_-]+\"\\s*:\\s*(\"[^\"]*\"|-?\\d[\\d.eE+-]*|true|false|null)\\s*,")
                .matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return (text.substring(0, span[0]) + text.substring(span[1])).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] oversized(String text, Random random) {
        if (random.nextInt(20) != 0) {
            return replaceValue(text, random, "\"" + "x".repeat(200_000) + "\""); // large but within the limit
        }
        return replaceValue(text, random, "\"" + "x".repeat(1_100_000) + "\""); // over the 1 MiB limit
    }

    static byte[] randomBytes(Random random) {
        return randomBytes(random, 1 + random.nextInt(400));
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
