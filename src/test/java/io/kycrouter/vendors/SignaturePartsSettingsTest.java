package io.kycrouter.vendors;

import io.kycrouter.security.AuthScheme;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The header-with-parts keys of an hmac scheme, read from settings: what builds, and mistakes that stop start-up. */
class SignaturePartsSettingsTest {

    private static Settings settings(Map<String, String> values) {
        return new Settings("kyc.vendor.persona.auth.signature.", key -> Optional.ofNullable(values.get(key)));
    }

    private static Map<String, String> persona() {
        Map<String, String> p = new HashMap<>();
        String prefix = "kyc.vendor.persona.auth.signature.";
        p.put(prefix + "type", "hmac");
        p.put(prefix + "secrets", "wbhsec_x");
        p.put(prefix + "signature-header", "Persona-Signature");
        p.put(prefix + "signature-part", "v1");
        p.put(prefix + "timestamp-part", "t");
        p.put(prefix + "set-separator", "space");
        p.put(prefix + "signed", "{timestamp}.{body}");
        return p;
    }

    @Test
    void personasSchemeBuilds() {
        AuthScheme scheme = VendorRegistry.scheme("signature", settings(persona())).orElseThrow();
        assertThat(scheme.expects()).isEqualTo("header Persona-Signature (t=<unix time>,v1=<signature>)");
        assertThat(scheme.seenBeforeBody()).isTrue();
    }

    @Test
    void partKeysWithoutSignaturePartStopStartUp() {
        Map<String, String> p = persona();
        p.remove("kyc.vendor.persona.auth.signature.signature-part");
        assertThatThrownBy(() -> VendorRegistry.scheme("signature", settings(p)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kyc.vendor.persona.auth.signature.timestamp-part is set but")
                .hasMessageContaining("signature-part");
    }

    @Test
    void timestampPartAndTimestampHeaderTogetherStopStartUp() {
        Map<String, String> p = persona();
        p.put("kyc.vendor.persona.auth.signature.timestamp-header", "X-Timestamp");
        assertThatThrownBy(() -> VendorRegistry.scheme("signature", settings(p)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timestamp-part");
    }

    @Test
    void partsFromAJsonFieldStopStartUp() {
        Map<String, String> p = persona();
        p.remove("kyc.vendor.persona.auth.signature.signature-header");
        p.put("kyc.vendor.persona.auth.signature.signature-field", "$.signature");
        assertThatThrownBy(() -> VendorRegistry.scheme("signature", settings(p)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("signature-header");
    }

    @Test
    void sameSeparatorTwiceStopsStartUp() {
        Map<String, String> p = persona();
        p.put("kyc.vendor.persona.auth.signature.set-separator", ",");
        assertThatThrownBy(() -> VendorRegistry.scheme("signature", settings(p)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("separator");
    }
}
