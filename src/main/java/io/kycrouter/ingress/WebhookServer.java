package io.kycrouter.ingress;

import io.vertx.core.Future;
import io.vertx.core.Handler;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The webhook port's HTTP server, with the options the router needs: Camel's platform-http creates its server with
 * Vert.x's defaults and no way to change them (cleartext HTTP/2 on, the codec's errors answered with empty bodies,
 * Netty's lenient body framing), and these are all fixed when a server starts listening.
 * <p>
 * So a second server, configured, serves Camel's router on the same host and port, and Camel's is closed. Vert.x
 * shares one listening socket between the servers of a Vert.x instance bound to the same address and hands each new
 * connection to one of them: the socket stays open throughout, and once Camel's server is closed every new
 * connection goes to this one. It is closed with the router (a Camel service, stopped after the routes; Camel's
 * Vert.x instance closing would close it too).
 */
public final class WebhookServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.ingress");

    private final HttpServerOptions options;
    private final ErrorAnswers errors;
    private HttpServer server;

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
        HttpServer own = camel.getVertx().createHttpServer(options)
                .requestHandler(router)
                .invalidRequestHandler(errors.invalidRequest())
                .connectionHandler(connection -> {
                    if (!StrictFraming.install(connection, options) && warned.compareAndSet(false, true)) {
                        LOG.warn("this Vert.x has no request decoder to replace: requests with an ambiguous body length"
                                + " are framed by Netty's rules, not refused");
                    }
                });
        own.listen(camel.getConfigurationPort(), camel.getHost()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server = own;
        camelServer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        context.addService(this, true);
        return true;
    }

    @Override
    protected void doStop() throws Exception {
        HttpServer own = server;
        server = null;
        if (own != null) {
            Future<Void> closed = own.close();
            closed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
