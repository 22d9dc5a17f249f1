package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kyc.* key the router does not read fails start-up, naming it and the nearest known key; so does a vendor whose
 * authentication is incomplete. Keys with free parts (vendors, schemes, targets, headers) are known for the names
 * the configuration lists.
 */
class ConfigContractTest {

    private static String failure(Map<String, String> extra) throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("config-contract"));
        settings.putAll(extra);
        return RunningRouter.startupFailure(settings);
    }

    @Test
    void aMistypedSchemeKeyIsNamedWithTheNearestKnownKey() throws Exception {
        assertThat(failure(Map.of("kyc.vendor.sumsub.auth.digest.algoritm", "SHA256")))
                .contains("kyc.vendor.sumsub.auth.digest.algoritm: unknown key; the nearest known key is"
                        + " kyc.vendor.sumsub.auth.digest.algorithm");
    }

    @Test
    void aMistypedKeyInAVendorFileIsNamedAsThatFileWritesIt() throws Exception {
        Path vendors = RunningRouter.vendorsCopy("vendor-typo");
        Path file = vendors.resolve("sumsub").resolve("vendor.properties");
        Files.writeString(file, Files.readString(file) + "auth.digest.algoritm = SHA256\n");
        int line = Files.readAllLines(file).size();
        assertThat(failure(Map.of("kyc.vendors.dir", vendors.toString())))
                .contains("sumsub/vendor.properties:" + line + ": auth.digest.algoritm: unknown key; the nearest known key is"
                        + " auth.digest.algorithm");
    }

    @Test
    void anIncompleteSchemeInAVendorFileIsNamedThere() throws Exception {
        Path vendors = RunningRouter.vendorsCopy("vendor-incomplete");
        Path file = vendors.resolve("veratad").resolve("vendor.properties");
        String properties = Files.readString(file);
        assertThat(properties).contains("auth.basic.passwords");
        Files.writeString(file, properties.replaceAll("(?m)^auth\\.basic\\.passwords.*$", ""));
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("config-contract"));
        settings.put("kyc.vendors.dir", vendors.toString());
        settings.remove("kyc.vendor.veratad.auth.basic.passwords"); // the tests' credential, set over the files
        assertThat(RunningRouter.startupFailure(settings))
                .contains("veratad/vendor.properties:8: auth.basic.type: scheme basic (basic)").contains(" of vendor veratad has no passwords key: add auth.basic.passwords = ");
    }

    @Test
    void aMistypedGlobalKeyIsNamedWithTheNearestKnownKey() throws Exception {
        assertThat(failure(Map.of("kyc.ingres.max-body-size", "1000")))
                .contains("kyc.ingres.max-body-size: unknown key; the nearest known key is kyc.ingress.max-body-size");
    }

    @Test
    void aKeyOfAVendorNotListedIsUnknown() throws Exception {
        assertThat(failure(Map.of("kyc.vendor.sumsubb.event-key", "$.type")))
                .contains("kyc.vendor.sumsubb.event-key: unknown key; the nearest known key is kyc.vendor.sumsub.event-key");
    }

    @Test
    void aKeyOfAnotherSchemeTypeIsUnknown() throws Exception {
        // tokens is a token scheme's key: Sumsub's digest scheme is hmac
        assertThat(failure(Map.of("kyc.vendor.sumsub.auth.digest.tokens", "x")))
                .contains("kyc.vendor.sumsub.auth.digest.tokens: unknown key");
    }

    @Test
    void aTargetHeaderNotListedInHeadersIsUnknown() throws Exception {
        assertThat(failure(Map.of(
                "kyc.notify.targets", "crm",
                "kyc.notify.target.crm.type", "http",
                "kyc.notify.target.crm.url", "http://127.0.0.1:1/events",
                "kyc.notify.target.crm.headers", "Authorization",
                "kyc.notify.target.crm.header.Authorization", "Bearer x",
                "kyc.notify.target.crm.header.X-Tenant", "acme")))
                .contains("kyc.notify.target.crm.header.X-Tenant: unknown key")
                .doesNotContain("header.Authorization: unknown key");
    }

    @Test
    void aSchemeWithoutItsCredentialKeyIsNamed() throws Exception {
        assertThat(failure(Map.of("kyc.vendor.veratad.auth", "basic, signature, bearer")))
                .contains("kyc.vendor.veratad.auth: scheme bearer (hmac) of vendor veratad has no secrets key");
    }

    @Test
    void anUnknownSchemeTypeIsNamed() throws Exception {
        assertThat(failure(Map.of("kyc.vendor.veratad.auth.basic.type", "basik")))
                .contains("kyc.vendor.veratad.auth.basic.type: scheme basic has type 'basik'; the types are hmac, basic, token");
    }

    @Test
    void aVendorWithoutSchemesIsNamed() throws Exception {
        assertThat(failure(Map.of("kyc.vendor.argos.auth", " ")))
                .contains("kyc.vendor.argos.auth: vendor argos has no authentication scheme");
    }

    @Test
    void aVendorWithoutSchemesIsNamedOnceNotThroughItsSchemesKeys() throws Exception {
        // the scheme keys under auth. stay in the file: with no scheme named they are not each an unknown key
        assertThat(failure(Map.of("kyc.vendor.sumsub.auth", " ")))
                .contains("vendor sumsub has no authentication scheme")
                .doesNotContain("auth.digest.secrets: unknown key");
    }

    @Test
    void aVendorsMistypedKeyIsComparedWithItsOwnKeysFirst() throws Exception {
        // the nearest key of another vendor (didit's scheme "simple") would be no help
        assertThat(failure(Map.of("kyc.vendor.sumsub.auth.digest.signd", "{body}")))
                .contains("the nearest known key is kyc.vendor.sumsub.auth.digest.signed");
    }
}
