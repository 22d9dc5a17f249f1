package io.kycrouter.ingress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that request bodies in flight may take. Every body is held several times over while it is
 * processed (the server's buffer, the bytes, the text, the JSON tree, the database value), so 64 senders of 1 MB
 * bodies, signed or not, would otherwise need several hundred MB of heap at once: the collector would thrash and
 * allocations would fail across the router.
 * <p>
 * A request holds the bytes of its body that have <em>arrived</em>, taken chunk by chunk as {@link BodyReader} reads
 * them, and gives them all back when its answer is sent or its connection closes. What a request declares
 * ({@code Content-Length}) reserves nothing: a sender that declares a large body and trickles it holds only what it
 * sent, so a few such senders cannot take the budget from everyone else. A chunk that does not fit while other
 * requests hold bytes gets the request a 503; a request alone always fits, whatever its size: the budget sheds load,
 * it never makes a size unacceptable (the body limits do).
 * <p>
 * Bodies of a few KB, the usual webhook, never meet the limit: the default is a sixteenth of the maximum heap.
 */
public final class BodyMemoryBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    /** @param capacity bytes of bodies that may be in flight together */
    public BodyMemoryBudget(long capacity) {
        this.capacity = capacity;
    }

    /** The default capacity: a sixteenth of the maximum heap. */
    public static long defaultCapacity() {
        return Runtime.getRuntime().maxMemory() / 16;
    }

    /** A new request's share, holding nothing yet. */
    Share open() {
        return new Share();
    }

    /** Bytes held now (for tests and metrics). */
    public long inUse() {
        return used.get();
    }

    /** What one request holds; used from its connection's event loop only. */
    final class Share {

        private long held;

        /** Takes {@code n} more bytes if they fit, or if no other request holds any; false otherwise. */
        boolean take(long n) {
            while (true) {
                long now = used.get();
                if (now - held > 0 && now + n > capacity) {
                    return false;
                }
                if (used.compareAndSet(now, now + n)) {
                    held += n;
                    return true;
                }
            }
        }

        /** Gives back everything held; harmless when called again. */
        void release() {
            used.addAndGet(-held);
            held = 0;
        }
    }
}
