package io.kycrouter.canonical;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
