import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The HMAC check of the benchmark's naive route (bench/naive.yaml), written as a team would by hand: the hex
 * HMAC-SHA256 of the raw body against the X-Payload-Digest header (Sumsub's scheme), compared in constant time. The
 * header is read from the Vert.x request: the router's platform-http header filter copies no request header into
 * the message (ingress/ExternalHeaderFilter). bench/run.sh compiles it and puts it beside the jar, and the bench's
 * application.properties binds it as a bean (camel.beans.naiveHmac).
 */
public class NaiveHmac {

    private SecretKeySpec key;

    public void setSecret(String secret) {
        key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public boolean valid(Exchange exchange) throws GeneralSecurityException {
        byte[] body = exchange.getIn().getBody(byte[].class);
        String signature = exchange.getIn() instanceof HttpMessage http ? http.getRequest().getHeader("X-Payload-Digest") : null;
        if (signature == null || body == null) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256"); // a Mac is not thread-safe: one per request, as most code does
        mac.init(key);
        byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
}
