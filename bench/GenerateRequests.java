import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Writes a wrk Lua script that cycles through {@code count} correctly signed Sumsub webhooks, each a new event
 * (unique correlationId), padded to about {@code bodyBytes}.
 *
 *   java bench/GenerateRequests.java <count> <bodyBytes> <secret> <out.lua>
 */
public class GenerateRequests {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        String secret = args[2];
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder lua = new StringBuilder("local bodies = {}\nlocal sigs = {}\n");
        int chunk = 15_000; // Lua allows 65,536 constants per function: the table is filled by several functions
        String[] types = {"applicantCreated", "applicantPending", "applicantReviewed"};
        for (int i = 0; i < count; i++) {
            String type = types[i % 3];
            String review = type.equals("applicantReviewed") ? ",\"reviewResult\":{\"reviewAnswer\":\"GREEN\"}" : "";
            String head = "{\"applicantId\":\"bench-" + (i / 3) + "\",\"correlationId\":\"req-" + System.nanoTime() + "-" + i
                    + "\",\"type\":\"" + type + "\",\"levelName\":\"basic-kyc-level\",\"externalUserId\":\"user-" + (i / 3)
                    + "\",\"reviewStatus\":\"init\",\"createdAtMs\":\"2024-01-01 00:00:0" + (i % 3) + ".000\"" + review
                    + ",\"clientId\":\"bench\",\"padding\":\"";
            String body = head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}";
            String sig = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            if (i % chunk == 0) {
                lua.append(i == 0 ? "" : "end\nfill" + (i / chunk - 1) + "()\n").append("local function fill").append(i / chunk).append("()\n");
            }
            lua.append("bodies[").append(i + 1).append("] = [==[").append(body).append("]==]\n");
            lua.append("sigs[").append(i + 1).append("] = \"").append(sig).append("\"\n");
        }
        lua.append("end\nfill").append((count - 1) / chunk).append("()\n");
        lua.append("""
                local n = %d
                local counter = 0
                request = function()
                  counter = counter + 1
                  local i = ((counter - 1) %% n) + 1
                  return wrk.format("POST", "/webhooks/sumsub",
                    {["Content-Type"] = "application/json", ["X-Payload-Digest"] = sigs[i]}, bodies[i])
                end
                """.formatted(count));
        Files.writeString(Path.of(args[3]), lua.toString());
    }
}
