import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.security.SignedJson;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a wrk Lua script that cycles through {@code count} correctly signed webhooks of all five vendors in a
 * realistic mix (Sumsub 35 %, Didit 25 %, Treezor 15 %, Veratad 15 %, Argos 10 %), each a new event (unique
 * vendor ids), built from the vendors' documented examples in vendors/<vendor>/examples and padded to about
 * {@code bodyBytes}. wrk's threads take alternate entries, so no two threads send the same event. The script's
 * {@code init} (appended by bench/run.sh) may set {@code path_override} to send every request to another path.
 * An output file ending in {@code .jsonl} gets one request per line instead, as JSON
 * ({@code {"path": ..., "headers": {...}, "body": ...}}, Content-Type included): bench/FixedRateSender.java reads it.
 * With {@code sumsub} as the mix, every request is a Sumsub webhook (bench/naive.yaml checks Sumsub's HMAC only).
 *
 *   java -cp target/kyc-webhook-router.jar bench/GenerateRequests.java <count> <bodyBytes> <out.lua|out.jsonl> [run id] [mix|sumsub]
 *
 * Secrets: the bench-* values bench/run.sh gives the router.
 */
public class GenerateRequests {

    static final String SUMSUB = "bench-sumsub", DIDIT = "bench-didit", TREEZOR = "bench-treezor";
    static final String ARGOS_TOKEN = "bench-argos", VERATAD_USER = "bench", VERATAD_PASSWORD = "bench-veratad";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] MIX = {"sumsub", "didit", "treezor", "sumsub", "veratad", "didit", "sumsub", "argos",
            "sumsub", "treezor", "didit", "sumsub", "veratad", "sumsub", "didit", "argos", "treezor", "sumsub", "veratad", "didit"};

    record Request(String path, Map<String, String> headers, String body) {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        String run = args.length > 3 ? args[3] : Long.toString(System.currentTimeMillis(), 36);
        boolean sumsubOnly = args.length > 4 && args[4].equals("sumsub");
        Path vendors = Path.of("vendors");
        Map<String, Object> sumsub = read(vendors.resolve("sumsub/examples/applicantReviewed-1.json"));
        Map<String, Object> didit = read(vendors.resolve("didit/examples/approved.json"));
        Map<String, Object> treezor = read(vendors.resolve("treezor/examples/user.kycreview.json"));
        Map<String, Object> argos = read(vendors.resolve("argos/examples/approved.json"));
        Map<String, Object> veratad = read(vendors.resolve("veratad/examples/documented.json"));
        long now = System.currentTimeMillis() / 1000;

        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = "bench-" + run + "-" + i;
            requests.add(switch (sumsubOnly ? "sumsub" : MIX[i % MIX.length]) {
                case "sumsub" -> {
                    Map<String, Object> b = copy(sumsub);
                    b.put("applicantId", id);
                    b.put("correlationId", "req-" + id);
                    String body = pad(b, size);
                    yield new Request("/webhooks/sumsub", Map.of("X-Payload-Digest", hex(SUMSUB, body)), body);
                }
                case "didit" -> {
                    Map<String, Object> b = copy(didit);
                    b.put("session_id", id);
                    b.put("created_at", now);
                    String body = pad(b, size);
                    yield new Request("/webhooks/didit", Map.of("X-Timestamp", Long.toString(now), "X-Signature", hex(DIDIT, body)), body);
                }
                case "treezor" -> {
                    Map<String, Object> b = copy(treezor);
                    @SuppressWarnings("unchecked") Map<String, Object> event = (Map<String, Object>) b.get("webhook");
                    event.put("webhook_id", id);
                    event.put("object_id", id);
                    @SuppressWarnings("unchecked") Map<String, Object> user = (Map<String, Object>)
                            ((List<Object>) ((Map<String, Object>) event.get("object_payload")).get("users")).get(0);
                    user.put("userId", id);
                    event.put("object_payload_signature", Base64.getEncoder().encodeToString(
                            mac(TREEZOR, SignedJson.php(event.get("object_payload")))));
                    b.put("webhookId", id);
                    String body = pad(b, size);
                    yield new Request("/webhooks/treezor", Map.of(), body);
                }
                case "argos" -> {
                    Map<String, Object> b = copy(argos);
                    b.put("submission_id", id);
                    String body = pad(b, size);
                    yield new Request("/webhooks/argos", Map.of("X-Webhook-Token", ARGOS_TOKEN), body);
                }
                default -> {
                    Map<String, Object> b = copy(veratad);
                    b.put("request_id", id);
                    String body = pad(b, size);
                    String basic = Base64.getEncoder().encodeToString((VERATAD_USER + ":" + VERATAD_PASSWORD).getBytes(StandardCharsets.UTF_8));
                    yield new Request("/webhooks/veratad", Map.of("Authorization", "Basic " + basic), body);
                }
            });
        }
        try (java.io.Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            if (out.toString().endsWith(".jsonl")) {
                jsonLines(requests, w);
            } else {
                lua(requests, w);
            }
        }
    }

    /** One request per line: path, headers (Content-Type included) and body, as JSON. */
    static void jsonLines(List<Request> requests, java.io.Writer out) throws java.io.IOException {
        for (Request r : requests) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.putAll(r.headers());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("path", r.path());
            line.put("headers", headers);
            line.put("body", r.body());
            out.write(JSON.writeValueAsString(line));
            out.write('\n');
        }
    }

    /** Lua allows 65,536 constants per function: the tables are filled by several functions. */
    static void lua(List<Request> requests, java.io.Writer out) throws java.io.IOException {
        StringBuilder lua = new StringBuilder("local paths, bodies, headers = {}, {}, {}\n");
        int chunk = 10_000;
        for (int i = 0; i < requests.size(); i++) {
            if (i % chunk == 0) {
                lua.append(i == 0 ? "" : "end\nfill" + (i / chunk - 1) + "()\n").append("local function fill").append(i / chunk).append("()\n");
            }
            Request r = requests.get(i);
            lua.append("paths[").append(i + 1).append("] = \"").append(r.path()).append("\"\n");
            lua.append("bodies[").append(i + 1).append("] = [==[").append(r.body()).append("]==]\n");
            lua.append("headers[").append(i + 1).append("] = {[\"Content-Type\"] = \"application/json\"");
            r.headers().forEach((k, v) -> lua.append(", [\"").append(k).append("\"] = \"").append(v).append('"'));
            lua.append("}\n");
            if (lua.length() > 1 << 20) { // written as it goes: a script of a million requests is over a gigabyte
                out.append(lua);
                lua.setLength(0);
            }
        }
        lua.append("end\nfill").append((requests.size() - 1) / chunk).append("()\n");
        lua.append("""
                local n = %d
                local next_thread = 0
                function setup(thread)
                  thread:set("tid", next_thread)
                  next_thread = next_thread + 1
                end
                local counter = -1
                request = function()
                  if counter < 0 then counter = tid or 0 end
                  local i = (counter %% n) + 1
                  counter = counter + 2
                  return wrk.format("POST", path_override or paths[i], headers[i], bodies[i])
                end
                """.formatted(requests.size()));
        out.append(lua);
    }

    static final String[] WORDS = {"document", "selfie", "liveness", "passport", "country", "review", "check",
            "result", "score", "level", "applicant", "address", "match", "face", "ocr", "field", "warning", "clear",
            "attempt", "device", "session", "network", "risk", "source", "watchlist", "expiry", "issuer", "front", "back"};

    /**
     * Pads the body to about {@code size} bytes with what vendors' bodies carry: a list of check records of ids, times,
     * names and scores. Padding of one repeated character would compress to nothing and flatter the database's disk
     * figures (it did before 2026-11-30).
     */
    static String pad(Map<String, Object> body, int size) throws Exception {
        String text = JSON.writeValueAsString(body);
        java.util.Random random = new java.util.Random(text.hashCode());
        List<Map<String, Object>> records = new ArrayList<>();
        long at = 1_760_000_000_000L + random.nextInt(1_000_000_000);
        int length = text.length() + 19; // ,"bench_records":[]
        while (length + 90 < size) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", new java.util.UUID(random.nextLong(), random.nextLong()).toString());
            record.put("at", java.time.Instant.ofEpochMilli(at - random.nextInt(100_000_000)).toString());
            record.put("name", WORDS[random.nextInt(WORDS.length)] + "_" + WORDS[random.nextInt(WORDS.length)]);
            record.put("score", random.nextInt(1000) / 10.0);
            records.add(record);
            length += JSON.writeValueAsString(record).length() + 1;
        }
        if (!records.isEmpty()) {
            body.put("bench_records", records);
            text = JSON.writeValueAsString(body);
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws Exception {
        return JSON.readValue(Files.readString(file), LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> template) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(template), LinkedHashMap.class);
    }

    static String hex(String secret, String body) throws Exception {
        return HexFormat.of().formatHex(mac(secret, body));
    }

    static byte[] mac(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    }
}
