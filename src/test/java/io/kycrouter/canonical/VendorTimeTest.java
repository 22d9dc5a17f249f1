package io.kycrouter.canonical;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VendorTimeTest {

    // 1727681752 s since the epoch is 2024-09-30T07:35:52Z (python3: datetime.fromtimestamp(1727681752, timezone.utc)).
    private static final Instant BASE = Instant.parse("2024-09-30T07:35:52Z");

    @Test
    void epochNumbersOfEveryWidth() {
        assertThat(VendorTime.parse(1727681752)).isEqualTo(BASE);                       // Integer, seconds
        assertThat(VendorTime.parse(1727681752L)).isEqualTo(BASE);                      // Long, seconds
        assertThat(VendorTime.parse(1727681752123L)).isEqualTo(BASE.plusMillis(123));   // 13 digits, millis
        assertThat(VendorTime.parse(17276817521234L))                                   // 14 digits, Treezor 1e-4 s
                .isEqualTo(Instant.parse("2024-09-30T07:35:52.1234Z"));
        assertThat(VendorTime.parse(1727681752123456L))                                 // 16 digits, micros
                .isEqualTo(Instant.parse("2024-09-30T07:35:52.123456Z"));
        assertThat(VendorTime.parse(1727681752123456789L))                              // 19 digits, nanos
                .isEqualTo(Instant.parse("2024-09-30T07:35:52.123456789Z"));
    }

    @Test
    void epochAsJacksonWouldHandItOver() {
        assertThat(VendorTime.parse(new BigDecimal("1727681752.5"))).isEqualTo(BASE.plusMillis(500));
        assertThat(VendorTime.parse(new BigInteger("1727681752000"))).isEqualTo(BASE);
        assertThat(VendorTime.parse(1.727681752123E9)).isEqualTo(BASE.plusMillis(123)); // Double, decimal seconds
        assertThat(VendorTime.parse(new BigDecimal("1.727681752E+9"))).isEqualTo(BASE);  // negative scale
    }

    @ParameterizedTest
    @CsvSource({
            "1727681752,                2024-09-30T07:35:52Z",
            "1727681752000,             2024-09-30T07:35:52Z",
            "1727681752999,             2024-09-30T07:35:52.999Z",
            "17276817521234,            2024-09-30T07:35:52.1234Z",
            "1727681752123456,          2024-09-30T07:35:52.123456Z",
            "1727681752123456789,       2024-09-30T07:35:52.123456789Z",
            "1727681752.25,             2024-09-30T07:35:52.25Z",
            "'  1727681752  ',          2024-09-30T07:35:52Z",
            "0,                         1970-01-01T00:00:00Z",
    })
    void epochNumbersGivenAsStrings(String text, String expected) {
        assertThat(VendorTime.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
            // Sumsub-style local date-time, UTC
            "2020-02-21 13:23:19.001,            2020-02-21T13:23:19.001Z",
            "2020-02-21 13:23:19,                2020-02-21T13:23:19Z",
            // compact offset
            "2023-03-14 12:50:27+0000,           2023-03-14T12:50:27Z",
            "2023-03-14 12:50:27+0130,           2023-03-14T11:20:27Z",
            "2023-03-14 12:50:27 +0000,          2023-03-14T12:50:27Z",
            // ISO-8601
            "2024-09-30T07:35:52Z,               2024-09-30T07:35:52Z",
            "2024-09-30T07:35:52z,               2024-09-30T07:35:52Z",
            "2024-09-30T09:35:52+02:00,          2024-09-30T07:35:52Z",
            "2024-09-30T02:35:52.5-05:00,        2024-09-30T07:35:52.5Z",
            "2024-09-30T07:35:52,                2024-09-30T07:35:52Z",
            "2024-09-30T07:35,                   2024-09-30T07:35:00Z",
            "2024-09-30T07:37:20.210302Z,        2024-09-30T07:37:20.210302Z",
            "2024-09-30T07:37:20.210302,         2024-09-30T07:37:20.210302Z",
            "2024-09-30T07:37:20.123456789+00:00, 2024-09-30T07:37:20.123456789Z",
    })
    void dateTimeStrings(String text, String expected) {
        assertThat(VendorTime.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "yesterday", "2024-09-30", "2024-13-01T00:00:00Z", "2024-09-32T00:00:00Z",
            "30/09/2024 07:35", "2024-09-30T25:00:00Z", "2024-09-30T07:35:52+2", "-1727681752",
            "1727681752abc", "0x66FA5498", "12345678901234567890",
    })
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> VendorTime.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The formatters resolve SMART, so a day that does not exist in its month is clamped to the month's last day. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-09-31T00:00:00Z", "2024-02-30 10:00:00", "2023-02-29T12:00:00+02:00", "2023-04-31 08:00:00+0000"})
    void rejectsDaysThatDoNotExistInTheirMonth(String text) {
        assertThatThrownBy(() -> VendorTime.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNullNegativeAndTooManyDigits() {
        assertThatThrownBy(() -> VendorTime.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VendorTime.parse(-1727681752L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> VendorTime.parse(new BigInteger("12345678901234567890")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many digits");
    }

    @Test
    void rejectionDoesNotEchoTheValue() {
        assertThatThrownBy(() -> VendorTime.parse("secret-value-123"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void aJsonNumberWithAFractionIsTheDoubleItDecodesTo() {
        // Python, PHP and JavaScript decode these three to one double, the value a re-encoding signature covers
        Instant signed = Instant.parse("2024-09-30T07:38:06Z");
        assertThat(VendorTime.parse(new BigDecimal("1727681886"))).isEqualTo(signed);
        assertThat(VendorTime.parse(new BigDecimal("1727681886.0"))).isEqualTo(signed);
        assertThat(VendorTime.parse(new BigDecimal("1727681886.0000001"))).isEqualTo(signed);
        assertThat(VendorTime.parse(new BigDecimal("1727681886.25"))).isEqualTo(signed.plusMillis(250));
        // a string is signed as written: its digits are kept
        assertThat(VendorTime.parse("1727681886.0000001")).isEqualTo(signed.plusNanos(100));
        // integers are never rounded (Treezor's 14 digits, nanoseconds)
        assertThat(VendorTime.parse(new BigDecimal("1727681752123456789"))).isEqualTo(Instant.parse("2024-09-30T07:35:52.123456789Z"));
    }
}
