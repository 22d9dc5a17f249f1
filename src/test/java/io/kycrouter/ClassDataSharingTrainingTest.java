package io.kycrouter;

import io.kycrouter.mapping.Mapping;
import io.kycrouter.mapping.OfflineMapper;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training run of the class-data-sharing archive (pom.xml) posts the webhook of src/cds/training.yaml to the
 * router with KYC_SUMSUB_SECRET=cds-training. Were it refused (a stale signature) or parked (a changed Sumsub
 * mapping), the build would still pass and the archive would quietly miss the classes of a delivery's path: this
 * test keeps the file's signature and payload right.
 */
class ClassDataSharingTrainingTest {

    static final Path TRAINING = Path.of("src/cds/training.yaml");

    @Test
    void theTrainingWebhookIsSignedWithTheTrainingSecretAndMapsToAnEvent() throws Exception {
        String route = Files.readString(TRAINING);
        String body = group(route, "setBody:\\s*\\n\\s*constant: '([^']+)'");
        String digest = group(route, "name: X-Payload-Digest\\s*\\n(?:\\s*#.*\\n)*\\s*constant: ([0-9a-f]+)");

        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec("cds-training".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals(HexFormat.of().formatHex(hmac.doFinal(body.getBytes(StandardCharsets.UTF_8))), digest,
                TRAINING + ": X-Payload-Digest is not the HMAC-SHA256 of the body with the secret cds-training");

        try (OfflineMapper mapper = OfflineMapper.start(Map.of())) {
            Mapping mapping = mapper.map("sumsub", body.getBytes(StandardCharsets.UTF_8));
            assertFalse(mapping.parked(), TRAINING + ": the training webhook is parked by the Sumsub mapping");
            assertFalse(mapping.events().isEmpty(), TRAINING + ": the training webhook maps to no event");
        }
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), TRAINING + " has no match for " + regex);
        return matcher.group(1);
    }
}
