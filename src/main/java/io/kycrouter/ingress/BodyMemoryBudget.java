package io.kycrouter.ingress;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that request bodies in flight may take, before a body is read. Every body is held several times
 * over while it is processed (the server's buffer, the bytes, the text, the JSON tree, the database value), so 64
 * senders of 1 MB bodies, signed or not, would otherwise need several hundred MB of heap at once: the collector would
 * thrash and allocations would fail across the router. A request reserves its declared {@code Content-Length} (the
 * server's cap when it has none: a chunked body) from the budget when its headers arrive, and gives it back when its
 * answer is sent or its connection closes. A request that does not fit while others hold the budget is answered
 * 503 with {@code Retry-After} and {@code Connection: close} at once, its body unread; vendors retry. A request alone
 * always fits, whatever its size: the budget sheds load, it never makes a size unacceptable (the body limits do).
 * <p>
 * Bodies of a few KB, the usual webhook, never meet the limit: the default is a sixteenth of the maximum heap
 * (about 6 MB with the recommended 112 MB heap: room for 60 bodies of 100 KB at once).
 */
public final class BodyMemoryBudget implements Handler<RoutingContext> {

    private final long capacity;
    private final long serverMaxBody;
    private final AtomicLong used = new AtomicLong();
    private final Runnable shed;

    /**
     * @param capacity      bytes of declared bodies that may be in flight together
     * @param serverMaxBody what a body without a declared length reserves (the HTTP server's own cap)
     * @param shed          told of each request answered 503
     */
    public BodyMemoryBudget(long capacity, long serverMaxBody, Runnable shed) {
        this.capacity = capacity;
        this.serverMaxBody = serverMaxBody;
        this.shed = shed;
    }

    /** The default capacity: a sixteenth of the maximum heap. */
    public static long defaultCapacity() {
        return Runtime.getRuntime().maxMemory() / 16;
    }

    @Override
    public void handle(RoutingContext routing) {
        long declared = declared(routing);
        if (declared <= 0) {
            routing.next();
            return;
        }
        if (!reserve(declared)) {
            shed.run();
            routing.response()
                    .setStatusCode(503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader("Retry-After", "1")
                    // the body is not read: the sender is told to close; one that does not is closed by the idle
                    // timeout. Closing here, with the body still arriving, would reset the connection and could
                    // destroy this answer before the sender read it
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end("{\"status\":\"rejected\",\"error\":\"overloaded\",\"message\":\"too many large bodies in flight;"
                            + " retry later\"}");
            return;
        }
        routing.addEndHandler(done -> used.addAndGet(-declared)); // answered, failed or connection closed: once
        routing.next();
    }

    /** Bytes a request reserves: its Content-Length (capped by the server's limit), that limit without one, or 0. */
    private long declared(RoutingContext routing) {
        String length = routing.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Math.min(Math.max(0, Long.parseLong(length.trim())), serverMaxBody);
            } catch (NumberFormatException e) {
                return serverMaxBody; // the server refuses it; reserve as for an unknown length meanwhile
            }
        }
        String encoding = routing.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null ? serverMaxBody : 0;
    }

    /** Takes {@code n} bytes if they fit, or if nothing else is held (one request of any size always proceeds). */
    boolean reserve(long n) {
        while (true) {
            long now = used.get();
            if (now > 0 && now + n > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /** Bytes reserved now (for tests and metrics). */
    public long inUse() {
        return used.get();
    }
}
