package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** HTTP Basic credentials; several passwords may be active at once (rotation). */
public final class BasicScheme implements AuthScheme {

    private final String name;
    private final String user;
    private final List<String> passwords;

    public BasicScheme(String name, String user, List<String> passwords) {
        this.name = name;
        this.user = user;
        this.passwords = List.copyOf(passwords);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String expects() {
        return "header Authorization (Basic)";
    }

    @Override
    public boolean seenBeforeBody() {
        return true;
    }

    @Override
    public boolean present(Delivery delivery) {
        String value = delivery.header("Authorization");
        return value != null && value.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    public void verify(Delivery delivery, Instant now) {
        String value = delivery.header("Authorization");
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DeliveryRejected.unauthorized("Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        String givenUser = colon < 0 ? decoded : decoded.substring(0, colon);
        String givenPassword = colon < 0 ? "" : decoded.substring(colon + 1);
        boolean match = ConstantTime.equal(givenUser, user);
        boolean passwordMatch = false;
        for (String password : passwords) {
            passwordMatch |= ConstantTime.equal(givenPassword, password);
        }
        if (!(match & passwordMatch)) {
            throw DeliveryRejected.unauthorized("wrong Basic credentials");
        }
    }

    @Override
    public void sign(OutgoingWebhook webhook, Instant now) {
        webhook.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + passwords.get(0)).getBytes(StandardCharsets.UTF_8)));
    }
}
