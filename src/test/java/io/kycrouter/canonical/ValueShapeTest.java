package io.kycrouter.canonical;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The shapes a reason code, a check result and a related id must have before they reach a canonical event. */
class ValueShapeTest {

    @ParameterizedTest
    @ValueSource(strings = {"FORGERY", "AGE_REQUIREMENT_MISMATCH", "ID_BLURRY", "1312", "3201", "FAIL", "FACE_MISMATCH",
            "doc.expired", "aml:hit", "SUCCESS_DATA_CHANGED", "110009"})
    void codesAreCodes(String value) {
        assertThat(PersonalData.isCode(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"The ID document is blurry", "17 Kestrel Avenue", "1987-03-14", "14.03.1987", "19870314",
            "203.0.113.45", "2001:db8::7", "+447700900123", "07700900123", "jane@example.org", "Vandersloot,",
            "A_CODE_THAT_IS_FAR_TOO_LONG_TO_BE_A_CODE_0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    void freeTextAndPersonalShapesAreNotCodes(String value) {
        assertThat(PersonalData.isCode(value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Approved", "Not Screened", "Red Flag", "In Review", "HIGH", "processed", "CANCELED",
            "SUCCESS_DATA_CHANGED", "pending", "address", "PASS"})
    void enumerationValuesAreCheckResults(String value) {
        assertThat(PersonalData.isCheckResult(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Rejected: name, born 1987-03-14", "17 Kestrel Avenue, Springfield", "203.0.113.45",
            "+44 7700 900123", "born 1987-03-14", "two  spaces", "one two three four", "jane@example.org"})
    void freeTextIsNotACheckResult(String value) {
        assertThat(PersonalData.isCheckResult(value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"b00ecdec-b721-55c4-8e20-ef3625616926", "5cb744200a975a67ed1798a4", "8XXXX", "100196123"})
    void vendorIdsAreIdentifiers(String value) {
        assertThat(PersonalData.isIdentifier(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ottilie Vandersloot", "12 Willow Lane", "a/b"})
    void textIsNotAnIdentifier(String value) {
        assertThat(PersonalData.isIdentifier(value)).isFalse();
    }

    /**
     * The shape checks are character loops (they run on every reason code of every event); they accept exactly what
     * the patterns they replaced accept, with the personal-data test (dates, IP addresses, digit runs) on top. Checked
     * on many generated strings of the characters that matter, at and around each length bound.
     */
    @Test
    void theCharacterLoopsAcceptWhatThePatternsAccepted() {
        Pattern code = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
        Pattern checkResult = Pattern.compile("[A-Za-z0-9_.:-]{1,40}(?: [A-Za-z0-9_.:-]{1,40}){0,2}");
        Pattern identifier = Pattern.compile("[A-Za-z0-9_.:-]{1,256}");
        Pattern ipv4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
        Pattern ipv6 = Pattern.compile("(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}");
        Pattern date = Pattern.compile("\\d{1,4}[-./]\\d{1,2}[-./]\\d{1,4}");
        String alphabet = "aZ09_.:- /@,\u00e9\t";
        Random random = new Random(17);
        int accepted = 0;
        for (int n = 0; n < 200_000; n++) {
            int length = switch (n % 4) {
                case 0 -> random.nextInt(8);
                case 1 -> 38 + random.nextInt(6);
                case 2 -> 62 + random.nextInt(6);
                default -> random.nextInt(300);
            };
            StringBuilder value = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                value.append(n % 3 == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : alphabet.charAt(random.nextInt(8)));
            }
            String v = value.toString();
            boolean notPersonal = v.chars().filter(Character::isDigit).count() <= 6 && !ipv4.matcher(v).find()
                    && !date.matcher(v).find() && !ipv6.matcher(v).matches();
            assertThat(PersonalData.isCode(v)).as("code %s", v).isEqualTo(code.matcher(v).matches() && notPersonal);
            assertThat(PersonalData.isCheckResult(v)).as("check result %s", v)
                    .isEqualTo(v.length() <= 40 && checkResult.matcher(v).matches() && notPersonal);
            assertThat(PersonalData.isIdentifier(v)).as("identifier %s", v).isEqualTo(identifier.matcher(v).matches());
            accepted += PersonalData.isCode(v) ? 1 : 0;
        }
        assertThat(accepted).as("generated strings that are codes").isGreaterThan(1_000);
    }
}
