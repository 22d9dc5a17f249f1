package io.kycrouter.ingress;

import io.vertx.core.Future;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The webhook port's HTTP server, with the options the router needs: Camel's platform-http creates its server with
 * Vert.x's defaults and no way to change them (cleartext HTTP/2 on, the codec's errors answered with empty bodies,
 * Netty's lenient body framing), and these are all fixed when a server starts listening.
 * <p>
 * So servers of its own, configured, one per event loop, serve Camel's router on the same host and port, and Camel's
 * is closed. Vert.x shares one listening socket between the servers of a Vert.x instance bound to the same address
 * and hands each new connection to one of them in turn: the socket stays open throughout, and once Camel's server is
 * closed every new connection goes to one of these. They are closed with the router (a Camel service, stopped after
 * the routes; Camel's Vert.x instance closing would close them too).
 */
public final class WebhookServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.ingress");

    private final HttpServerOptions options;
    private final ErrorAnswers errors;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    /**
     * @param http2Cleartext whether HTTP/2 without TLS (h2c: upgrade or prior knowledge) is served
     * @param idle           connections idle this long are closed (zero: never)
     */
    public WebhookServer(boolean http2Cleartext, Duration idle, ErrorAnswers errors) {
        this.options = new HttpServerOptions()
                .setHttp2ClearTextEnabled(http2Cleartext)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idle.toMillis()));
        this.errors = errors;
    }

    /**
     * Takes over the port and router of Camel's server; false (nothing changed) when Camel's server serves TLS, whose
     * setup is Camel's to make, or listens on a port chosen by the system, which cannot be shared.
     */
    public boolean takeOver(CamelContext context, MainHttpServer main) throws Exception {
        VertxPlatformHttpServer camel = main.getRouter().getServer();
        if (main.isUseGlobalSslContextParameters() || main.getSslContextParameters() != null || camel.getConfigurationPort() <= 0) {
            return false;
        }
        HttpServer camelServer = camel.getServer();
        Handler<HttpServerRequest> router = camelServer.requestHandler();
        if (router instanceof Router mounting) {
            errors.register(mounting); // Camel mounts its routes' router under this one: both answer an unknown path
        }
        AtomicBoolean warned = new AtomicBoolean();
        // One server per event loop: a server started outside Vert.x gets an event loop of its own (the next one) and
        // serves all its connections there, and the webhook routes run on their connection's event loop, so a single
        // server would do all their work on one thread. Vert.x hands each new connection to the servers in turn.
        int loops = eventLoops(camel.getVertx());
        for (int i = 0; i < loops; i++) {
            HttpServer own = camel.getVertx().createHttpServer(options)
                    .requestHandler(router)
                    .invalidRequestHandler(errors.invalidRequest())
                    .connectionHandler(connection -> {
                        if (!StrictFraming.install(connection, options) && warned.compareAndSet(false, true)) {
                            LOG.warn("this Vert.x has no request decoder to replace: requests with an ambiguous body length"
                                    + " are framed by Netty's rules, not refused");
                        }
                    });
            CompletableFuture<Void> listening = new CompletableFuture<>();
            // started from an event loop context of its own (a thread outside Vert.x would reuse one context for all)
            eventLoopContext(camel.getVertx()).runOnContext(ignored -> own.listen(camel.getConfigurationPort(), camel.getHost())
                    .onComplete(started -> {
                        if (started.succeeded()) {
                            listening.complete(null);
                        } else {
                            listening.completeExceptionally(started.cause());
                        }
                    }));
            listening.get(30, TimeUnit.SECONDS);
            servers.add(own);
        }
        camelServer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Vertx vertx = camel.getVertx();
        LOG.info("webhook server on port {}: {} event loops, {} transport", camel.getConfigurationPort(), loops,
                vertx.isNativeTransportEnabled() ? "native" : "NIO" + (vertx.unavailableNativeTransportCause() == null ? ""
                        : " (native: " + vertx.unavailableNativeTransportCause().getMessage() + ")"));
        context.addService(this, true);
        return true;
    }

    /** A new context on the next of the Vert.x instance's event loops. */
    private static Context eventLoopContext(Vertx vertx) {
        return vertx instanceof VertxInternal internal ? internal.createEventLoopContext() : vertx.getOrCreateContext();
    }

    /** The event loops of the Vert.x instance (its options' pool size; Vert.x's default, two per core, otherwise). */
    static int eventLoops(Vertx vertx) {
        if (!(vertx instanceof VertxInternal internal)) {
            return VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        }
        int loops = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : internal.getEventLoopGroup()) {
            loops++;
        }
        return Math.max(1, loops);
    }

    @Override
    protected void doStop() throws Exception {
        List<HttpServer> own = new ArrayList<>(servers);
        servers.clear();
        for (HttpServer server : own) {
            Future<Void> closed = server.close();
            closed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
