package io.kycrouter.ingress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

import java.util.List;
import java.util.Locale;

/**
 * The webhook port's HTTP/1.x request decoder, stricter than Netty's about how long a body is (RFC 9112 section 6):
 * a request with both Content-Length and Transfer-Encoding, with a transfer coding other than a single
 * {@code chunked}, with Transfer-Encoding in HTTP/1.0, or of another HTTP version, is refused.
 * <p>
 * Netty lets Transfer-Encoding win over Content-Length and reads no body at all for a coding it does not know; a
 * proxy in front that read the body the other way would then have its next request taken from this one's body
 * (request smuggling). A refused request becomes an invalid request: Vert.x hands it to the server's invalid request
 * handler ({@link ErrorAnswers#invalidRequest}, a JSON 400 and the connection closed) and the decoder discards every
 * byte that follows on the connection.
 * <p>
 * Vert.x has no option for this; the decoder it puts in each connection's pipeline ("httpDecoder") is replaced, as
 * each connection opens, by this subclass of it.
 */
public final class StrictFraming extends VertxHttpRequestDecoder {

    /** Why a request was refused; the message is the answer's. */
    public static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message, null);
        }
    }

    public StrictFraming(HttpServerOptions options) {
        super(options);
    }

    /** Replaces the decoder of a new HTTP/1.x connection; false when it has none this class knows. */
    public static boolean install(HttpConnection connection, HttpServerOptions options) {
        if (!(connection instanceof Http1xServerConnection http1)) {
            return true; // HTTP/2 (when enabled) frames its bodies itself
        }
        var pipeline = http1.channelHandlerContext().pipeline();
        if (!(pipeline.get("httpDecoder") instanceof VertxHttpRequestDecoder)) {
            return false;
        }
        pipeline.replace("httpDecoder", "httpDecoder", new StrictFraming(options));
        return true;
    }

    /**
     * Called by Netty once the headers are read, before it decides how the body is framed: an exception here makes
     * the request invalid and the rest of the connection's input is discarded.
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        HttpVersion version = message.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            message.setProtocolVersion(HttpVersion.HTTP_1_1); // the answer's version: one the sender can read
            throw new Refused("only HTTP/1.0 and HTTP/1.1 are served on this port");
        }
        List<String> codings = message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (message.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                throw new Refused("a request may not carry both Content-Length and Transfer-Encoding");
            }
            if (version.minorVersion() == 0) {
                throw new Refused("HTTP/1.0 has no Transfer-Encoding");
            }
            if (!(codings.size() == 1 && codings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked"))) {
                throw new Refused("the only Transfer-Encoding served is chunked");
            }
        }
        return super.isContentAlwaysEmpty(message);
    }
}
