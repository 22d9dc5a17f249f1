package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonField;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * Decrypts a vendor's encrypted body, {@code {"data": "<base64>"}}, with AES-256 and a key derived as the
 * SHA-256 of the configured API key (Argos Identity's scheme).
 * <ul>
 *   <li>{@code ecb}: AES/ECB/PKCS5Padding (PKCS#7 for 16-byte blocks) over the whole ciphertext;</li>
 *   <li>{@code gcm}: AES/GCM/NoPadding; the decoded bytes are a 12-byte IV, the ciphertext, the 16-byte tag.</li>
 * </ul>
 * Anything that does not decrypt to a JSON object is refused with 401: without the key nobody can produce it.
 */
public final class PayloadDecryption {

    public enum Mode { ECB, GCM }

    private final Mode mode;
    private final SecretKeySpec key;
    private final JsonField field;

    public PayloadDecryption(Mode mode, String apiKey, JsonField field) {
        this.mode = mode;
        this.field = field;
        try {
            this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Mode mode(String value) {
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encryption mode must be none, ecb or gcm, not '" + value + "'");
        }
    }

    /** Returns the delivery with its body replaced by the decrypted plaintext. */
    public Delivery decrypt(Delivery delivery) {
        Object value;
        try {
            value = field.read(delivery.json());
        } catch (DeliveryRejected e) {
            throw DeliveryRejected.unauthorized("body is not an encrypted payload ({\"data\": \"<base64>\"} expected)");
        }
        if (!(value instanceof String encoded) || encoded.isBlank()) {
            throw DeliveryRejected.unauthorized("body is not an encrypted payload: " + field + " is missing");
        }
        byte[] plaintext;
        try {
            byte[] bytes = Base64.getMimeDecoder().decode(encoded);
            plaintext = mode == Mode.ECB ? ecb(bytes) : gcm(bytes);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw DeliveryRejected.unauthorized("payload does not decrypt with the configured key (" + mode.name().toLowerCase(Locale.ROOT) + ")");
        }
        Delivery decrypted = delivery.withBody(plaintext);
        try {
            decrypted.json();
        } catch (DeliveryRejected e) {
            throw DeliveryRejected.unauthorized("payload does not decrypt to JSON with the configured key");
        }
        return decrypted;
    }

    /** The inverse of {@link #decrypt}: the body becomes {@code {"<field>": "<base64 ciphertext>"}}. */
    public void encrypt(OutgoingWebhook webhook) {
        byte[] ciphertext;
        try {
            if (mode == Mode.ECB) {
                Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
                cipher.init(Cipher.ENCRYPT_MODE, key);
                ciphertext = cipher.doFinal(webhook.body());
            } else {
                byte[] iv = new byte[12];
                new SecureRandom().nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                byte[] sealed = cipher.doFinal(webhook.body());
                ciphertext = new byte[iv.length + sealed.length];
                System.arraycopy(iv, 0, ciphertext, 0, iv.length);
                System.arraycopy(sealed, 0, ciphertext, iv.length, sealed.length);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String name = OutgoingWebhook.topLevelName(field);
        webhook.body(("{\"" + name + "\":\"" + Base64.getEncoder().encodeToString(ciphertext) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private byte[] ecb(byte[] bytes) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, key);
        return cipher.doFinal(bytes);
    }

    private byte[] gcm(byte[] bytes) throws GeneralSecurityException {
        if (bytes.length < 12 + 16) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
        return cipher.doFinal(bytes, 12, bytes.length - 12);
    }
}
