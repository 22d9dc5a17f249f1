package io.kycrouter.ingress;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request bodies in place of Vert.x's body handler (which Camel's platform-http puts on each route and which
 * then passes the body on untouched), so that what a body costs is known as it arrives:
 * <ul>
 *   <li>each chunk is taken from the {@link BodyMemoryBudget} as it arrives; one that does not fit gets the request a
 *       503 {@code overloaded} with {@code Retry-After}, and what it held is given back at once;</li>
 *   <li>a sender that sends no byte of its body for the progress timeout gets a 408 ({@code request_timeout}), so a
 *       stalled body holds neither memory nor a request for long ({@link LingeringClose} then closes the
 *       connection);</li>
 *   <li>a body over the server's cap gets a 413, declared or as it arrives (as Vert.x's handler does).</li>
 * </ul>
 * Vert.x's handler sees the body as read (the flag it checks on every request) and passes the request on.
 */
public final class BodyReader implements Handler<RoutingContext> {

    private final BodyMemoryBudget budget;
    private final long serverMaxBody;
    private final long progressTimeoutMillis;
    private final Runnable shed;

    /**
     * @param serverMaxBody   the largest body the server reads (camel.server.max-body-size)
     * @param progressTimeout how long a body may make no progress before the request gets a 408; zero: no limit
     * @param shed            told of each request answered 503
     */
    public BodyReader(BodyMemoryBudget budget, long serverMaxBody, Duration progressTimeout, Runnable shed) {
        this.budget = budget;
        this.serverMaxBody = serverMaxBody;
        this.progressTimeoutMillis = progressTimeout.toMillis();
        this.shed = shed;
    }

    @Override
    public void handle(RoutingContext routing) {
        RoutingContextInternal context = (RoutingContextInternal) routing;
        HttpServerRequest request = routing.request();
        if (context.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
            routing.next(); // rerouted: the body was read
            return;
        }
        long declared = contentLength(request);
        boolean chunked = request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        if (declared < 0 && !chunked) {
            routing.next(); // no body
            return;
        }
        context.visitHandler(RoutingContextInternal.BODY_HANDLER);
        if (declared > serverMaxBody) {
            routing.fail(413);
            return;
        }
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                routing.fail(417);
                return;
            }
            if (request.version() != HttpVersion.HTTP_1_0) {
                routing.response().writeContinue(); // the request passed every check that needs no body
            }
        }
        if (request.isEnded()) {
            context.setBody(Buffer.buffer());
            routing.next();
            return;
        }
        new Reading(routing).start();
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            return length < 0 ? -1 : length;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One body being read: its chunks, its share of the budget, its progress. */
    private final class Reading implements Handler<Buffer> {

        private final RoutingContext routing;
        private final BodyMemoryBudget.Share share = budget.open();
        // the chunks as they came (each a copy the server made for this request), joined once at the end: a buffer
        // grown as they arrive would hold up to twice the bytes counted, and leave as much garbage again
        private List<Buffer> chunks = new ArrayList<>();
        private long length;
        private boolean done;
        private long lastProgress = System.nanoTime();
        private long timer = -1;

        Reading(RoutingContext routing) {
            this.routing = routing;
        }

        void start() {
            routing.addEndHandler(answered -> { // answered, failed or connection closed: once
                done = true;
                share.release();
                cancelTimer();
            });
            if (progressTimeoutMillis > 0) {
                timer = routing.vertx().setTimer(progressTimeoutMillis, this::checkProgress);
            }
            routing.request()
                    // a sender gone mid-body is nobody's error and has nobody to answer: only what it held is given back
                    .exceptionHandler(failure -> stop(failure instanceof HttpClosedException ? 0
                            : failure instanceof DecoderException ? 400 : 500, failure))
                    .handler(this)
                    .endHandler(v -> end())
                    .resume();
        }

        @Override
        public void handle(Buffer chunk) {
            if (done) {
                return; // answered already: the rest of the body is dropped as it arrives
            }
            lastProgress = System.nanoTime();
            if (length + chunk.length() > serverMaxBody) {
                stop(413, null);
                return;
            }
            if (!share.take(chunk.length())) {
                stop(0, null);
                shed.run();
                EarlyAnswer.overloaded(routing, "too many large bodies in flight; retry later");
                return;
            }
            chunks.add(chunk);
            length += chunk.length();
        }

        private void end() {
            if (done) {
                return;
            }
            done = true;
            cancelTimer();
            Buffer body = chunks.size() == 1 ? chunks.get(0) : Buffer.buffer((int) length);
            if (chunks.size() > 1) {
                chunks.forEach(body::appendBuffer);
            }
            chunks = null;
            ((RoutingContextInternal) routing).setBody(body);
            routing.next();
        }

        private void checkProgress(long id) {
            timer = -1;
            if (done) {
                return;
            }
            long idleMillis = (System.nanoTime() - lastProgress) / 1_000_000;
            if (idleMillis >= progressTimeoutMillis) {
                stop(408, null);
            } else {
                timer = routing.vertx().setTimer(progressTimeoutMillis - idleMillis, this::checkProgress);
            }
        }

        /** Stops reading: drops what was read and, for a status, fails the request with it (the failure handler answers). */
        private void stop(int status, Throwable cause) {
            done = true;
            cancelTimer();
            chunks = null;
            share.release();
            if (status > 0 && !routing.response().ended()) {
                if (cause != null) {
                    routing.fail(status, cause);
                } else {
                    routing.fail(status);
                }
            }
        }

        private void cancelTimer() {
            if (timer >= 0) {
                routing.vertx().cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
