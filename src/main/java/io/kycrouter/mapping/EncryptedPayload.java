package io.kycrouter.mapping;

import io.kycrouter.delivery.JsonField;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorDefinition;

import java.util.Map;

/**
 * A payload still in a vendor's encrypted envelope ({@code {"data": "<base64>"}}, Argos Identity): the mapper takes
 * the plaintext, which is what the vendor's routes see once the router decrypted it.
 */
public final class EncryptedPayload extends RuntimeException {

    private EncryptedPayload(String message) {
        super(message, null, false, false);
    }

    /** Throws when the vendor can encrypt (it has {@code decrypt.*} settings) and the payload is its envelope. */
    static void check(VendorDefinition vendor, Settings kyc, Map<String, Object> document) {
        Settings decrypt = kyc.child("vendor").child(vendor.name()).child("decrypt");
        if (vendor.decryption() == null && decrypt.get("mode").isEmpty() && decrypt.get("field").isEmpty()) {
            return;
        }
        JsonField field = JsonField.of(decrypt.get("field", "$.data"));
        if (document.size() == 1 && field.read(document) instanceof String) {
            throw new EncryptedPayload("this is an encrypted " + vendor.name() + " payload (" + field
                    + " only): map takes the plaintext JSON, as the router has it once decrypted");
        }
    }
}
