package io.kycrouter.ingress;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests the router works on at once. A request counts from the moment its body has arrived (it runs
 * after {@link BodyReader}) until its answer is sent or its connection closes; past the limit it is answered 503
 * {@code overloaded} with {@code Retry-After} at once, before an exchange is made for it. Every request in work costs
 * heap beyond its body (the exchange, its headers, the mapped event, its place in a group commit), so without a
 * bound enough connections of valid webhooks at once exhaust a small heap; with it any number of them gets 503s
 * beyond the limit, and the vendors retry.
 * <p>
 * Requests still receiving their body do not count: a sender that trickles a body would otherwise hold a place for as
 * long as it trickles, and a few hundred of them would refuse every signed webhook. What those cost is bounded by
 * the body memory budget, the progress timeout and the request timeout.
 */
public final class RequestsInFlight implements Handler<RoutingContext> {

    private final int limit;
    private final Runnable shed;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param limit requests in work at once
     * @param shed  told of each request answered 503
     */
    public RequestsInFlight(int limit, Runnable shed) {
        this.limit = limit;
        this.shed = shed;
    }

    /**
     * The default limit: a place for every 256 KB of the maximum heap, at least 128 (two full group commits) and at
     * most 1024 (more only queue for longer).
     */
    public static int defaultLimit() {
        long byHeap = Runtime.getRuntime().maxMemory() / (256 * 1024);
        return (int) Math.max(128, Math.min(1024, byHeap));
    }

    @Override
    public void handle(RoutingContext routing) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.run();
            EarlyAnswer.overloaded(routing, "too many requests in flight; retry later");
            return;
        }
        routing.addEndHandler(done -> inFlight.decrementAndGet()); // answered, failed or connection closed: once
        routing.next();
    }

    /** Requests in work now (for tests and metrics). */
    public int inFlight() {
        return inFlight.get();
    }

    public int limit() {
        return limit;
    }
}
