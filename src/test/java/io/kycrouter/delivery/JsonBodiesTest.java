package io.kycrouter.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bodies are strict UTF-8, whichever way they are decoded: ASCII only, or with characters of several bytes. */
class JsonBodiesTest {

    @Test
    void decodesWhatJavaEncodesAsUtf8AsciiOrNot() {
        Random random = new Random(17);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(300);
            boolean asciiOnly = i % 2 == 0;
            while (text.length() < length) {
                int codePoint = asciiOnly ? random.nextInt(0x80)
                        : switch (random.nextInt(4)) {
                            case 0 -> random.nextInt(0x80);
                            case 1 -> 0x80 + random.nextInt(0x780);
                            case 2 -> 0xE000 + random.nextInt(0x1000); // clear of the surrogates
                            default -> 0x10000 + random.nextInt(0x10000);
                        };
                text.appendCodePoint(codePoint);
            }
            String expected = text.toString();
            assertThat(JsonBodies.utf8(expected.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        }
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[][] invalid = {
                {'{', (byte) 0x80, '}'},                       // a continuation byte alone
                {'{', (byte) 0xC0, (byte) 0xAF, '}'},          // an overlong '/'
                {'{', (byte) 0xED, (byte) 0xA0, (byte) 0x80},  // a surrogate, encoded
                {'{', (byte) 0xE2, (byte) 0x82},               // cut short
                {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},    // UTF-16 with its byte order mark
                {'"', (byte) 0xE9, '"'},                       // ISO-8859-1's e-acute
        };
        for (byte[] body : invalid) {
            assertThatThrownBy(() -> JsonBodies.utf8(body)).isInstanceOf(DeliveryRejected.class)
                    .hasMessageContaining("not valid UTF-8");
        }
    }
}
