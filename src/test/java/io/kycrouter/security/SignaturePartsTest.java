package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A signature header holding named parts, as Persona sends it ({@code t=<unix time>,v1=<hex>} over
 * {@code <t>.<body>}, several sets separated by spaces while a secret rotates), with every expected signature computed
 * here by javax.crypto directly.
 */
class SignaturePartsTest {

    private static final String SECRET = "wbhsec_current";
    private static final String OLD_SECRET = "wbhsec_previous";
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final long T = NOW.getEpochSecond();
    private static final byte[] BODY = "{\"data\":{\"type\":\"event\",\"id\":\"evt_1\"}}".getBytes(StandardCharsets.UTF_8);
    private static final SignatureParts PERSONA = new SignatureParts("v1", "t", ",", null);

    private static HmacScheme persona(String... secrets) {
        return new HmacScheme("signature", List.of(secrets).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(),
                "SHA256", null, Map.of(), HmacScheme.Encoding.HEX, null, "Persona-Signature", null,
                SignedContent.parse("{timestamp}.{body}"), new TimestampWindow(null, Duration.ofSeconds(300)), PERSONA);
    }

    private static String v1(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Delivery delivery(String header) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (header != null) {
            headers.put("Persona-Signature", header);
        }
        return new Delivery(null, null, BODY, headers::get, name -> null, NOW, new JsonBodies());
    }

    private static DeliveryRejected refused(HmacScheme scheme, String header) {
        DeliveryRejected e = catchThrowableOfType(DeliveryRejected.class, () -> scheme.verify(delivery(header), NOW));
        assertThat(e).as("expected a 401 for header " + header).isNotNull();
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.error()).isEqualTo("unauthorized");
        return e;
    }

    @Test
    void oneSetOverTimestampDotBody() {
        assertThatCode(() -> persona(SECRET).verify(delivery("t=" + T + ",v1=" + v1(SECRET, T, BODY)), NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void theTimestampIsPartOfWhatIsSigned() {
        // a valid signature for another time does not verify with this time
        refused(persona(SECRET), "t=" + T + ",v1=" + v1(SECRET, T - 1, BODY));
        // nor does the body alone (no "t." before it)
        String bodyOnly = HexFormat.of().formatHex(HmacScheme.hmac("SHA256", SECRET.getBytes(StandardCharsets.UTF_8), BODY));
        assertThat(refused(persona(SECRET), "t=" + T + ",v1=" + bodyOnly).getMessage()).contains("signature mismatch");
    }

    @Test
    void rotationTwoSetsEitherValid() {
        HmacScheme scheme = persona(SECRET);
        String fresh = "t=" + T + ",v1=" + v1(SECRET, T, BODY);
        String other = "t=" + T + ",v1=" + v1("some-other-secret", T, BODY);
        assertThatCode(() -> scheme.verify(delivery(fresh + " " + other), NOW)).as("first set valid").doesNotThrowAnyException();
        assertThatCode(() -> scheme.verify(delivery(other + " " + fresh), NOW)).as("second set valid").doesNotThrowAnyException();
        assertThat(refused(scheme, other + " " + other).getMessage()).contains("signature mismatch");
    }

    @Test
    void rotationOnOurSideEitherSecretAccepted() {
        HmacScheme scheme = persona(SECRET, OLD_SECRET);
        assertThatCode(() -> scheme.verify(delivery("t=" + T + ",v1=" + v1(OLD_SECRET, T, BODY)), NOW)).doesNotThrowAnyException();
        assertThatCode(() -> scheme.verify(delivery("t=" + T + ",v1=" + v1(SECRET, T, BODY)), NOW)).doesNotThrowAnyException();
    }

    @Test
    void severalSignaturesInOneSetAndUnknownPartsIgnored() {
        // Stripe's form: one time, several v1, and a v0 the router does not use
        String header = "t=" + T + ",v1=" + v1("not-ours", T, BODY) + ",v0=abcdef,v1=" + v1(SECRET, T, BODY);
        assertThatCode(() -> persona(SECRET).verify(delivery(header), NOW)).doesNotThrowAnyException();
    }

    @Test
    void staleTimestampIs401EvenWithAValidSignature() {
        long old = T - 301;
        DeliveryRejected e = refused(persona(SECRET), "t=" + old + ",v1=" + v1(SECRET, old, BODY));
        assertThat(e.getMessage()).contains("stale timestamp").contains("'t' of Persona-Signature");
        long future = T + 301;
        refused(persona(SECRET), "t=" + future + ",v1=" + v1(SECRET, future, BODY));
        long edge = T - 300;
        assertThatCode(() -> persona(SECRET).verify(delivery("t=" + edge + ",v1=" + v1(SECRET, edge, BODY)), NOW))
                .as("at the edge of the window").doesNotThrowAnyException();
    }

    @Test
    void aStaleSetDoesNotHideAFreshValidOne() {
        long old = T - 3600;
        String header = "t=" + old + ",v1=" + v1(SECRET, old, BODY) + " t=" + T + ",v1=" + v1(SECRET, T, BODY);
        assertThatCode(() -> persona(SECRET).verify(delivery(header), NOW)).doesNotThrowAnyException();
        // a fresh set with a wrong signature beside a stale valid one: a mismatch, the stale one is not accepted
        String wrong = "t=" + old + ",v1=" + v1(SECRET, old, BODY) + " t=" + T + ",v1=" + v1("other", T, BODY);
        assertThat(refused(persona(SECRET), wrong).getMessage()).contains("signature mismatch");
    }

    @Test
    void missingPartIs401() {
        assertThat(refused(persona(SECRET), "v1=" + v1(SECRET, T, BODY)).getMessage()).contains("lacks its 't' part");
        assertThat(refused(persona(SECRET), "t=" + T).getMessage()).contains("lacks its 'v1' part");
        assertThat(refused(persona(SECRET), "t=" + T + ",v1=").getMessage()).contains("lacks its 'v1' part");
        // the second set of a rotation lacks its time: the header is refused as a whole
        assertThat(refused(persona(SECRET), "t=" + T + ",v1=" + v1(SECRET, T, BODY) + " v1=" + v1(SECRET, T, BODY))
                .getMessage()).contains("lacks its 't' part");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "t=1,v1", "=abc", "t=1700000000;v1=abc", ",", "t=1,t=2,v1=ab"})
    void malformedHeaderIs401(String header) {
        DeliveryRejected e = refused(persona(SECRET), header);
        assertThat(e.getMessage()).containsAnyOf("malformed Persona-Signature", "lacks its");
    }

    @Test
    void timestampThatIsNotAUnixTimeIs401() {
        assertThat(refused(persona(SECRET), "t=yesterday,v1=" + v1(SECRET, T, BODY)).getMessage()).contains("not a unix time");
    }

    @Test
    void missingHeaderIsNotPresentAnd401() {
        HmacScheme scheme = persona(SECRET);
        assertThat(scheme.present(delivery(null))).isFalse();
        assertThat(scheme.present(delivery("t=" + T + ",v1=00"))).isTrue();
        assertThat(scheme.seenBeforeBody()).isTrue();
        assertThat(refused(scheme, null).getMessage()).contains("missing signature");
        assertThat(refused(scheme, "   ").getMessage()).contains("missing signature");
    }

    @Test
    void customSeparators() {
        SignatureParts semicolons = new SignatureParts("sig", "ts", ";", "|");
        HmacScheme scheme = new HmacScheme("s", List.of(SECRET.getBytes(StandardCharsets.UTF_8)), "SHA256", null, Map.of(),
                HmacScheme.Encoding.HEX, null, "Persona-Signature", null, SignedContent.parse("{timestamp}.{body}"),
                new TimestampWindow(null, Duration.ofSeconds(300)), semicolons);
        String header = "ts=" + T + ";sig=" + v1("x", T, BODY) + "|ts=" + T + ";sig=" + v1(SECRET, T, BODY);
        assertThatCode(() -> scheme.verify(delivery(header), NOW)).doesNotThrowAnyException();
    }

    @Test
    void withoutTimestampPartTheSignatureAloneIsChecked() {
        SignatureParts only = new SignatureParts("v1", null, ",", null);
        HmacScheme scheme = new HmacScheme("s", List.of(SECRET.getBytes(StandardCharsets.UTF_8)), "SHA256", null, Map.of(),
                HmacScheme.Encoding.HEX, null, "Persona-Signature", null, SignedContent.parse("{body}"), null, only);
        String sig = HexFormat.of().formatHex(HmacScheme.hmac("SHA256", SECRET.getBytes(StandardCharsets.UTF_8), BODY));
        assertThatCode(() -> scheme.verify(delivery("v1=" + sig), NOW)).doesNotThrowAnyException();
    }

    @Test
    void inconsistentDefinitionsFailAtStartUp() {
        assertThatThrownBy(() -> new SignatureParts("v1", "t", ",", ",")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignatureParts("v1", "v1", ",", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignatureParts("", "t", ",", null)).isInstanceOf(IllegalArgumentException.class);
        // a timestamp part needs a tolerance, and no timestamp header beside it
        assertThatThrownBy(() -> new HmacScheme("s", List.of(SECRET.getBytes(StandardCharsets.UTF_8)), "SHA256", null, Map.of(),
                HmacScheme.Encoding.HEX, null, "Persona-Signature", null, SignedContent.parse("{timestamp}.{body}"), null, PERSONA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> new HmacScheme("s", List.of(SECRET.getBytes(StandardCharsets.UTF_8)), "SHA256", null, Map.of(),
                HmacScheme.Encoding.HEX, null, "Persona-Signature", null, SignedContent.parse("{timestamp}.{body}"),
                new TimestampWindow("X-Timestamp", Duration.ofSeconds(300)), PERSONA))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signWritesOneSetThatVerifies() {
        HmacScheme scheme = persona(SECRET);
        OutgoingWebhook webhook = new OutgoingWebhook("persona", null, BODY, new JsonBodies());
        scheme.sign(webhook, NOW);
        String header = webhook.headers().get("Persona-Signature");
        assertThat(header).isEqualTo("t=" + T + ",v1=" + v1(SECRET, T, BODY));
        assertThatCode(() -> scheme.verify(delivery(header), NOW)).doesNotThrowAnyException();
    }
}
