package io.kycrouter;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Webhook targets' signatures checked by the official Standard Webhooks Java library, as a receiver checks them:
 * several secrets at once (rotation without downtime) and keys too short to be safe refused at start-up.
 */
class OutboundSignatureTest {

    static String whsec(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static Map<String, String> settings(String name, String secret, String url) throws Exception {
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir(name));
        s.put("kyc.notify.poll-period-ms", "50");
        s.put("kyc.notify.targets", "crm");
        s.put("kyc.notify.target.crm.type", "http");
        s.put("kyc.notify.target.crm.url", url);
        s.put("kyc.notify.target.crm.secret", secret);
        return s;
    }

    /** Posts a Sumsub delivery and returns the notification the receiver got for it. */
    static TestReceiver.Request deliveredThrough(Map<String, String> settings, TestReceiver receiver) throws Exception {
        try (RunningRouter router = RunningRouter.start(settings)) {
            byte[] body = example("sumsub/applicantReviewed-2.json");
            HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            await("the notification").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);
        }
        return receiver.requests().get(0);
    }

    @Test
    void twoSecretsSignEachDeliveryTwiceAndEitherVerifiesAlone() throws Exception {
        String newSecret = whsec(32);
        String oldSecret = whsec(24);
        try (TestReceiver receiver = TestReceiver.start()) {
            TestReceiver.Request request = deliveredThrough(
                    settings("two-secrets", newSecret + ", " + oldSecret, receiver.url()), receiver);

            assertThat(request.header("webhook-signature")).matches("v1,[A-Za-z0-9+/=]{44} v1,[A-Za-z0-9+/=]{44}");
            new Webhook(newSecret).verify(request.body(), request.headers());
            new Webhook(oldSecret).verify(request.body(), request.headers());
            assertThatThrownBy(() -> new Webhook(whsec(32)).verify(request.body(), request.headers()))
                    .isInstanceOf(WebhookVerificationException.class);
        }
    }

    @Test
    void oneSecretSignsOnce() throws Exception {
        String secret = whsec(32);
        try (TestReceiver receiver = TestReceiver.start()) {
            TestReceiver.Request request = deliveredThrough(settings("one-secret", secret, receiver.url()), receiver);

            assertThat(request.header("webhook-signature")).matches("v1,[A-Za-z0-9+/=]{44}");
            new Webhook(secret).verify(request.body(), request.headers());
        }
    }

    /** A secret without the whsec_ prefix is the key's UTF-8 bytes: the library's byte[] constructor verifies. */
    @Test
    void plainTextSecretIsItsUtf8Bytes() throws Exception {
        String secret = "a plain-text secret of 24 bytes or more"; // no commas: a comma separates secrets
        try (TestReceiver receiver = TestReceiver.start()) {
            TestReceiver.Request request = deliveredThrough(settings("plain-secret", secret, receiver.url()), receiver);

            new Webhook(secret.getBytes(StandardCharsets.UTF_8)).verify(request.body(), request.headers());
        }
    }

    @Test
    void whsecKeyShorterThan24BytesStopsStartUp() throws Exception {
        String shortKey = whsec(16);
        String failure = RunningRouter.startupFailure(settings("short-whsec", whsec(32) + "," + shortKey, "http://127.0.0.1:9/"));
        assertThat(failure).contains("kyc.notify.target.crm.secret", "target crm", "secret 2", "16 bytes", "at least 24")
                .doesNotContain(shortKey.substring(6));
    }

    @Test
    void whsecThatIsNotBase64StopsStartUp() throws Exception {
        String failure = RunningRouter.startupFailure(settings("bad-whsec", "whsec_not*base64!", "http://127.0.0.1:9/"));
        assertThat(failure).contains("kyc.notify.target.crm.secret", "target crm", "base64").doesNotContain("not*base64!");
    }

    @Test
    void plainTextSecretShorterThan24BytesStopsStartUp() throws Exception {
        String failure = RunningRouter.startupFailure(settings("short-plain", "too-short-secret", "http://127.0.0.1:9/"));
        assertThat(failure).contains("kyc.notify.target.crm.secret", "target crm", "16 bytes", "at least 24")
                .doesNotContain("too-short-secret");
    }
}
