package io.kycrouter.vendors;

import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonBodies;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EventKeyTest {

    private static final JsonBodies BODIES = new JsonBodies();

    private static Map<String, Object> json(String text) {
        return BODIES.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> twoParts(Object a, Object b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void joinsPartsInOrderWithColons() {
        EventKey key = EventKey.parse("$.type, $.applicantId, $.createdAtMs");
        assertThat(key.of(json("{\"createdAtMs\":1727681752123,\"type\":\"applicantReviewed\",\"applicantId\":\"abc\"}")))
                .isEqualTo("applicantReviewed:abc:1727681752123");
    }

    @Test
    void firstPresentAlternativeWins() {
        EventKey key = EventKey.parse("$.type, $.applicantActionId|$.applicantId");
        assertThat(key.of(json("{\"type\":\"t\",\"applicantActionId\":\"act\",\"applicantId\":\"app\"}"))).isEqualTo("t:act");
        assertThat(key.of(json("{\"type\":\"t\",\"applicantId\":\"app\"}"))).isEqualTo("t:app");
        assertThat(key.of(json("{\"type\":\"t\",\"applicantActionId\":null,\"applicantId\":\"app\"}"))).isEqualTo("t:app");
        assertThat(key.of(json("{\"type\":\"t\",\"applicantActionId\":\"  \",\"applicantId\":\"app\"}")))
                .as("a blank alternative counts as absent").isEqualTo("t:app");
    }

    @Test
    void nestedPathsAndNumbersAsPlainText() {
        EventKey key = EventKey.parse("$.event.id, $.event.at, $.n, $.flag");
        assertThat(key.of(json("{\"event\":{\"id\":7,\"at\":1.5E+3},\"n\":0.10,\"flag\":true}"))).isEqualTo("7:1500:0.10:true");
    }

    @Test
    void describeListsEveryPartWithItsAlternatives() {
        assertThat(EventKey.parse(" $.type , $.a|$.b ").describe()).containsExactly("$.type", "$.a|$.b");
    }

    @Test
    void specWithoutPathsOrWithABadPathIsRejectedAtConfigTime() {
        assertThatThrownBy(() -> EventKey.parse(" , ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventKey.parse("type")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingFieldIsA400NamingEveryAlternative() {
        EventKey key = EventKey.parse("$.type, $.applicantActionId|$.applicantId");
        DeliveryRejected e = catchThrowableOfType(DeliveryRejected.class, () -> key.of(json("{\"type\":\"t\"}")));
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("missing_field");
        assertThat(e.getMessage()).contains("$.applicantActionId").contains("$.applicantId");

        DeliveryRejected blank = catchThrowableOfType(DeliveryRejected.class, () -> key.of(json("{\"type\":\"\",\"applicantId\":\"x\"}")));
        assertThat(blank).isNotNull();
        assertThat(blank.status()).isEqualTo(400);

        DeliveryRejected nulled = catchThrowableOfType(DeliveryRejected.class, () -> key.of(json("{\"type\":null,\"applicantId\":\"x\"}")));
        assertThat(nulled).isNotNull();
        assertThat(nulled.status()).isEqualTo(400);
    }

    @Test
    void objectOrArrayValuedFieldIsA400() {
        EventKey key = EventKey.parse("$.type, $.id");
        DeliveryRejected object = catchThrowableOfType(DeliveryRejected.class,
                () -> key.of(json("{\"type\":\"t\",\"id\":{\"nested\":1}}")));
        assertThat(object).isNotNull();
        assertThat(object.status()).isEqualTo(400);
        assertThat(object.error()).isEqualTo("invalid_field");
        assertThat(object.getMessage()).contains("$.id");

        DeliveryRejected array = catchThrowableOfType(DeliveryRejected.class,
                () -> key.of(json("{\"type\":\"t\",\"id\":[1,2]}")));
        assertThat(array).isNotNull();
        assertThat(array.status()).isEqualTo(400);
    }

    @Test
    void colonsAndPercentsCanNeverCollide() {
        EventKey key = EventKey.parse("$.a, $.b");
        String k1 = key.of(twoParts("a:b", "c"));
        String k2 = key.of(twoParts("a", "b:c"));
        assertThat(k1).isNotEqualTo(k2);
        assertThat(k1).isEqualTo("a%3Ab:c");
        assertThat(k2).isEqualTo("a:b%3Ac");

        // a literal "%3A" in a value must not look like an escaped ':'
        String k3 = key.of(twoParts("a%3Ab", "c"));
        assertThat(k3).isEqualTo("a%253Ab:c").isNotEqualTo(k1);

        List<String> keys = List.of(
                key.of(twoParts("x%", "y")), key.of(twoParts("x", "%y")),
                key.of(twoParts("x:", "y")), key.of(twoParts("x", ":y")),
                key.of(twoParts("x%25", "y")), key.of(twoParts("x%", "25y")));
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void keysUpToTheLimitStayReadable() {
        EventKey key = EventKey.parse("$.a, $.b");
        String a = "x".repeat(EventKey.MAX_LENGTH - 2);
        assertThat(key.of(twoParts(a, "y"))).hasSize(EventKey.MAX_LENGTH).isEqualTo(a + ":y");
    }

    @Test
    void overLongKeysAreHashedAndStayDistinct() throws Exception {
        EventKey key = EventKey.parse("$.a, $.b");
        String a = "x".repeat(EventKey.MAX_LENGTH);
        String k1 = key.of(twoParts(a, "1"));
        String k2 = key.of(twoParts(a, "2"));
        assertThat(k1).startsWith("sha256:").hasSize("sha256:".length() + 64).matches("sha256:[0-9a-f]{64}");
        assertThat(k1).isNotEqualTo(k2);
        assertThat(k1).isEqualTo("sha256:" + sha256Hex(a + ":1"));

        // the hash covers the escaped form, so the ':'/'%' guarantee survives hashing
        String k3 = key.of(twoParts(a + ":b", "c"));
        String k4 = key.of(twoParts(a, "b:c"));
        assertThat(k3).startsWith("sha256:").isNotEqualTo(k4);
        assertThat(k3).isEqualTo("sha256:" + sha256Hex(a + "%3Ab:c"));
    }

    @Test
    void sameEventSameKey() {
        EventKey key = EventKey.parse("$.type, $.id");
        assertThat(key.of(json("{\"id\":\"1\",\"type\":\"t\",\"other\":1}")))
                .isEqualTo(key.of(json("{\"type\":\"t\",\"other\":2,\"id\":\"1\"}")));
    }

    @Test
    void aPartReadAsTheSignerEncodesItGivesOneKeyForTextsOneSignatureCovers() {
        EventKey key = EventKey.parse("$.session_id, $.status, sorted-json:$.created_at");
        String plain = key.of(json("{\"session_id\":\"s\",\"status\":\"Approved\",\"created_at\":1727681886}"));
        assertThat(plain).isEqualTo("s:Approved:1727681886");
        for (String same : new String[] {"1727681886.0", "1727681886.0000001", "1.727681886E9"}) {
            assertThat(key.of(json("{\"session_id\":\"s\",\"status\":\"Approved\",\"created_at\":" + same + "}")))
                    .as(same).isEqualTo(plain);
        }
        assertThat(key.of(json("{\"session_id\":\"s\",\"status\":\"Approved\",\"created_at\":1727681886.5}")))
                .isNotEqualTo(plain);
        // without the encoding, the text decides (a raw-body signature tells these apart)
        EventKey text = EventKey.parse("$.session_id, $.status, $.created_at");
        assertThat(text.of(json("{\"session_id\":\"s\",\"status\":\"Approved\",\"created_at\":1727681886.0}")))
                .isNotEqualTo(text.of(json("{\"session_id\":\"s\",\"status\":\"Approved\",\"created_at\":1727681886}")));
    }

    @Test
    void aDigestPartCoversAWholeSignedObjectAndNothingElse() throws Exception {
        EventKey key = EventKey.parse("sha256:php-json:$.object_payload");
        String signed = "{\"userId\":\"1\",\"url\":\"a/b\",\"name\":\"Zoë\"}";
        String k = key.of(json("{\"webhook\":\"a\",\"webhook_id\":\"1\",\"object_payload\":" + signed + "}"));
        assertThat(k).isEqualTo("sha256=" + sha256Hex("{\"userId\":\"1\",\"url\":\"a\\/b\",\"name\":\"Zo\\u00eb\"}"));
        assertThat(k).doesNotContain("Zo");
        assertThat(key.of(json("{\"webhook\":\"b\",\"webhook_id\":\"2\",\"webhook_created_at\":9,\"object_payload\":"
                + signed.replace("a/b", "a\\/b") + "}"))).as("unsigned parts and escaping do not count").isEqualTo(k);
        assertThat(key.of(json("{\"object_payload\":{\"userId\":\"2\",\"url\":\"a/b\",\"name\":\"Zoë\"}}"))).isNotEqualTo(k);
        assertThatThrownBy(() -> key.of(json("{\"webhook\":\"a\"}"))).isInstanceOf(DeliveryRejected.class)
                .hasMessageContaining("$.object_payload");
        assertThat(key.describe()).containsExactly("sha256:php-json:$.object_payload");
    }
}
