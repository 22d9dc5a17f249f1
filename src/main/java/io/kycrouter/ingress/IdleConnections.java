package io.kycrouter.ingress;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections on which nothing was read or written for a while: a connection opened and never used, or kept
 * alive after its last answer, would otherwise hold a file descriptor for ever, and enough of them (a few thousand
 * senders that never send, or never close) stop the server accepting the vendors' connections.
 * <p>
 * Vert.x does this itself (Netty's idle state handler, {@link HttpServerOptions#setIdleTimeout}), but Camel's
 * platform-http creates the server with default options and exposes none of them. The server keeps its options
 * in one object that it reads for each new connection, so they are set there once it has started (a connection
 * accepted in the moment before keeps no timeout); where that object cannot be reached (another Vert.x), the caller
 * is told and warns.
 * <p>
 * The webhook server is given its options when {@link WebhookServer} takes its port over; this reflection remains for
 * the servers Camel keeps: the management server, and a webhook server serving TLS. Camel 4.18 creates both with
 * {@code new HttpServerOptions()} inside its start and has no setting or hook for their idle timeout, and Vert.x lets
 * no option be changed on a server once it listens.
 */
public final class IdleConnections {

    private IdleConnections() {
    }

    /** Sets the idle timeout of {@code server}'s connections; false when this Vert.x does not allow it. */
    public static boolean close(HttpServer server, Duration idle) {
        try {
            Field field = server.getClass().getDeclaredField("options");
            field.setAccessible(true);
            if (!(field.get(server) instanceof HttpServerOptions options)) {
                return false;
            }
            options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idle.toMillis()));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
