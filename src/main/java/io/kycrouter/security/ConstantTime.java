package io.kycrouter.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparisons whose time does not depend on where two credentials differ. */
public final class ConstantTime {

    private ConstantTime() {
    }

    public static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** Compares two strings in constant time (for their length), via fixed-size digests. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] da = sha.digest(a.getBytes(StandardCharsets.UTF_8));
            byte[] db = sha.digest(b.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(da, db);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
