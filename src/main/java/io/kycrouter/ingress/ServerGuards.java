package io.kycrouter.ingress;

import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.handler.TimeoutHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The HTTP servers' guards, set once they have started: a server that could not listen fails the start; idle
 * connections are closed; on the webhook server a request must complete within a time limit, bodies in flight share
 * a memory budget as they arrive and must make progress, webhooks their head refuses are refused before their body,
 * the requests in work are bounded, and the errors Vert.x raises itself get the same JSON answer as the routes'.
 */
public final class ServerGuards implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.ingress");

    private final Settings kyc;
    private final BodyReader bodyReader;
    private final EarlyRefusals earlyRefusals;
    private final RequestsInFlight inFlight;
    private final BiConsumer<String, String> webhookRefused;

    /** @param webhookRefused told of each webhook the server refuses outside the routes (vendor path segment, error code) */
    public ServerGuards(Settings kyc, BodyReader bodyReader, EarlyRefusals earlyRefusals, RequestsInFlight inFlight,
                        BiConsumer<String, String> webhookRefused) {
        this.kyc = kyc;
        this.bodyReader = bodyReader;
        this.earlyRefusals = earlyRefusals;
        this.inFlight = inFlight;
        this.webhookRefused = webhookRefused;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            return; // called again for each route added to the running context: the servers are set up once
        }
        // Camel logs a failed bind of its HTTP servers as a warning and goes on starting: a router that cannot
        // listen (the port taken, say by an instance still stopping) must not look started to its supervisor.
        Duration idle = Duration.ofMillis(kyc.number("ingress.idle-timeout-ms", 60_000));
        for (VertxPlatformHttpServer http : context.hasServices(VertxPlatformHttpServer.class)) {
            String failure = bindFailure(http);
            if (failure != null) {
                throw new ConfigException("the HTTP server could not listen on port " + http.getConfigurationPort()
                        + " (is the port in use? " + failure + ")");
            }
            // connections idle (nothing read or written) past kyc.ingress.idle-timeout-ms are closed
            if (!idle.isZero() && !IdleConnections.close(http.getServer(), idle)) {
                LOG.warn("idle connections of the HTTP server on port {} cannot be given a timeout by this Vert.x: they stay"
                        + " open until their sender closes them", http.getConfigurationPort());
            }
        }
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server != null) {
            // Slow senders (a body trickled byte by byte) may not hold a connection and a worker for ever: a
            // request not answered within kyc.ingress.request-timeout-ms gets a 408 (see the failure handler below).
            server.getRouter().route().order(-2000).handler(TimeoutHandler.create(kyc.number("ingress.request-timeout-ms", 30_000), 408));
            // a sender answered before its body arrived that goes on sending is closed after the progress timeout
            server.getRouter().route().order(-2100).handler(new LingeringClose(Duration.ofMillis(kyc.number("ingress.body-progress-timeout-ms", 5_000))));
            // a webhook whose head decides its refusal (unknown vendor, no credential, ...) is refused before its body is read
            earlyRefusals.register(server.getRouter(), -1700);
            // bodies are read as they arrive, within kyc.ingress.body-memory and kyc.ingress.body-progress-timeout-ms
            server.getRouter().route().order(-1500).handler(bodyReader);
            // then at most kyc.ingress.max-requests-in-flight requests are worked on at once: past it, a 503
            server.getRouter().route().order(-1400).handler(inFlight);
            // Every error answer of the webhook port is the routes' JSON: requests a handler failed (a body over
            // camel.server.max-body-size, a 408), paths no route serves, and (on the server below) requests the codec
            // could not read
            ErrorAnswers errors = new ErrorAnswers(kyc.get("ingress.server-max-body-size", "?"),
                    HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH, HttpServerOptions.DEFAULT_MAX_HEADER_SIZE, webhookRefused);
            server.getRouter().route().order(-1000).failureHandler(errors::failed);
            errors.register(server.getRouter());
            // while the router shuts down, every request gets a JSON 503 with Retry-After, before any other handler
            server.getRouter().route().order(-3000).handler(new ShutdownAnswers(context));
            // the server itself: cleartext HTTP/2 off unless kyc.ingress.http2-cleartext, codec errors in JSON, strict
            // body framing
            WebhookServer webhooks = new WebhookServer(kyc.bool("ingress.http2-cleartext", false), idle, errors);
            try {
                if (!webhooks.takeOver(context, server)) {
                    LOG.warn("the webhook server on port {} keeps Camel's settings (TLS or a system-chosen port): cleartext"
                            + " HTTP/2 stays on and codec errors are not answered in JSON", server.getPort());
                }
            } catch (Exception e) {
                throw new ConfigException("the webhook server could not be set up on port " + server.getPort() + ": " + e);
            }
        }
    }

    /**
     * Why Camel's started server does not listen, or null when it does. Camel keeps the outcome of its listen() to
     * itself, and Vert.x's public API tells it only through listen(): a server that listens refuses a second one
     * (IllegalStateException, nothing changes); one whose bind failed binds again, and fails again while the port is
     * taken (should the port have been freed meanwhile, the server now listens, as it was meant to).
     */
    private static String bindFailure(VertxPlatformHttpServer http) {
        if (http.getServer() == null) {
            return "the server was not started";
        }
        try {
            http.getServer().listen(http.getConfigurationPort(), http.getHost())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return null;
        } catch (IllegalStateException listening) {
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof IllegalStateException ? null : String.valueOf(e.getCause().getMessage());
        } catch (TimeoutException e) {
            return "binding the port did not finish";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
