package io.kycrouter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.kycrouter.api.DeliveriesApi;
import io.kycrouter.api.DeliveriesInApi;
import io.kycrouter.api.OperatorApi;
import io.kycrouter.api.OverviewApi;
import io.kycrouter.api.ParkedDeliveriesApi;
import io.kycrouter.api.RemapApi;
import io.kycrouter.api.VerificationsApi;
import io.kycrouter.security.TokenGuessThrottle;
import io.kycrouter.console.ConsoleGate;
import io.kycrouter.console.ConsolePages;
import io.kycrouter.console.ConsoleSessions;
import io.kycrouter.canonical.Canonicalizer;
import io.kycrouter.canonical.UserReferences;
import io.kycrouter.contract.ConfigContract;
import io.kycrouter.contract.ContractEnforcer;
import io.kycrouter.contract.ContractViolation;
import io.kycrouter.contract.Problem;
import io.kycrouter.ingress.BodyMemoryBudget;
import io.kycrouter.ingress.BodyReader;
import io.kycrouter.ingress.EarlyRefusals;
import io.kycrouter.ingress.ExternalHeaderFilter;
import io.kycrouter.ingress.WebhookHttpEngine;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import io.kycrouter.ingress.Ingress;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.ingress.RequestsInFlight;
import io.kycrouter.ingress.ServerGuards;
import io.kycrouter.notify.NotifyTransport;
import io.kycrouter.observe.DatabaseHealthCheck;
import io.kycrouter.observe.RefusalLog;
import io.kycrouter.observe.RefusalReasons;
import io.kycrouter.observe.RouterMetrics;
import io.kycrouter.notify.Outbox;
import io.kycrouter.notify.OutboxClaims;
import io.kycrouter.notify.OutboxDepth;
import io.kycrouter.notify.OutboxOutcomes;
import io.kycrouter.notify.TargetSwitch;
import io.kycrouter.notify.OutboxDispatcher;
import io.kycrouter.notify.TargetCursors;
import io.kycrouter.notify.TargetRoutes;
import io.kycrouter.notify.TargetDefinition;
import io.kycrouter.notify.Targets;
import io.kycrouter.vendors.VendorAuthenticator;
import io.kycrouter.remap.Remapper;
import io.kycrouter.store.Database;
import io.kycrouter.store.DeliveryJournal;
import io.kycrouter.store.Durability;
import io.kycrouter.vendors.ConfigException;
import io.kycrouter.store.SchemaMigration;
import io.kycrouter.store.EventRevisions;
import io.kycrouter.store.EventStore;
import io.kycrouter.store.Inbox;
import io.kycrouter.store.InboxRecovery;
import io.kycrouter.store.Intake;
import io.kycrouter.store.H2Compaction;
import io.kycrouter.store.Retention;
import io.kycrouter.store.StoreEventRecorder;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorFolders;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Builds the router's beans from the {@code kyc.*} settings and binds them in the Camel registry, where the
 * YAML routes refer to them by name (ingress, canonical, inboxRecovery, outboxDispatcher, notifyTransport,
 * retention, h2Compaction, operatorApi, deliveriesApi, parkedDeliveriesApi, remapApi, overviewApi, deliveriesInApi,
 * verificationsApi, consolePages, dataSource).
 */
public class RouterConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings kyc = new Settings("kyc.", key -> context.getPropertiesComponent().resolveProperty(key));
        Clock clock = Clock.systemUTC();
        // the vendor folders RouterLayout read before the context was configured (KycWebhookRouter.create adds it)
        VendorFolders folders = Objects.requireNonNull(context.getRegistry().lookupByNameAndType(RouterLayout.VENDOR_FOLDERS,
                VendorFolders.class), "no vendor folders: start the router with KycWebhookRouter.create");
        // the operator's files first: an unknown key or an incomplete vendor fails here, every problem named at once
        List<Problem> problems = ConfigContract.of(context.getPropertiesComponent().loadProperties(), kyc, folders).check();
        if (!problems.isEmpty()) {
            throw new ContractViolation(problems);
        }
        // every vendor route file is held to the mapping contract as Camel loads it (and reloads it in dev mode)
        context.getRegistry().bind("kycRouteContract", new ContractEnforcer());
        VendorRegistry vendors = VendorRegistry.load(kyc, folders.names());
        Targets targets = Targets.load(kyc);
        HikariDataSource dataSource = Database.open(kyc.child("db"));
        onStop(context, dataSource::close);
        // the embedded H2 default writes its file at checkpoints; the deliveries committed since are in the journal
        Durability durability = journaled(dataSource, Database.journalDirectory(kyc.child("db")));
        onStop(context, durability::close); // after the writers stopped, before the pool closes
        context.getRegistry().bind("durability", durability);
        // migrated while Camel loads the route files; the context waits for it before any route starts
        SchemaMigration schema = SchemaMigration.start(dataSource);
        context.addLifecycleStrategy(schema);

        // Micrometer: the router's meters live in a composite; every registry Camel exposes (the Prometheus registry
        // of camel-micrometer-prometheus, bound while the context starts, later in the shaded jar than in tests) is
        // added to it, so /observe/metrics shows them whatever the start-up order.
        CompositeMeterRegistry meters = new CompositeMeterRegistry();
        exposeTo(context, meters);
        // refused deliveries are counted in memory only (the console's overview), never written
        RefusalLog refusals = new RefusalLog(clock, (int) kyc.number("console.refusals-kept", 200));
        RouterMetrics metrics = new RouterMetrics(meters, vendors.names(), refusals);
        context.getRegistry().bind("kycDatabaseHealthCheck", new DatabaseHealthCheck(dataSource));

        JsonBodies json = new JsonBodies((int) kyc.number("ingress.max-json-depth", 500));
        // group commit: concurrent writes share one transaction (kyc.db.group-commit.*); stopped before the pool
        int maxBatch = (int) kyc.number("db.group-commit.max-batch", 64);
        Duration commitWait = Duration.ofMillis(kyc.number("db.group-commit.wait-ms", 10_000));
        Inbox inbox = new Inbox(dataSource);
        EventStore events = new EventStore(dataSource, clock, new ObjectMapper(), maxBatch, commitWait, durability);
        onStop(context, events::close);
        int recoveryMaxAttempts = (int) kyc.number("inbox.recovery-max-attempts", 20);
        TargetSwitch targetSwitch = new TargetSwitch(dataSource, clock);
        OutboxClaims claims = new OutboxClaims(dataSource, clock, recoveryMaxAttempts);
        OutboxOutcomes outcomes = new OutboxOutcomes(dataSource, clock, maxBatch, commitWait);
        onStop(context, outcomes::close);

        int workers = Math.max(1, targets.all().size());
        ExecutorService notifyPool = context.getExecutorServiceManager().newThreadPool(this, "kyc-notify", workers, workers);
        // each target reads the event log from its cursor; a new target starts at the log's head, before any delivery
        TargetCursors cursors = new TargetCursors(dataSource, clock);
        schema.then(() -> cursors.create(targets.all().stream().map(TargetDefinition::name).toList()));
        Outbox outbox = new Outbox(dataSource, clock, targetSwitch, cursors);
        OutboxDispatcher dispatcher = new OutboxDispatcher(context, targets, cursors, claims, outcomes, targetSwitch,
                Duration.ofMillis(kyc.number("notify.claim-lease-ms", 60_000)),
                Duration.ofMillis(kyc.number("notify.poll-period-ms", 250)), notifyPool, metrics, clock);
        OutboxDepth outboxDepth = new OutboxDepth(dataSource, clock, cursors);
        metrics.outboxGauges(targets, outboxDepth);
        onStop(context, dispatcher::release); // added after the pool: stopped before it, while the database is open

        // Vert.x's worker threads run the operator API's and the console's routes (they block on the database); the
        // webhook routes run on the event loops (WebhookHttpEngine below)
        // Netty's native epoll transport where it is available (Linux; NIO elsewhere): its event loops are woken
        // without the lock NIO's selector takes, which the loops queued on (decision 80)
        context.getRegistry().bind("kycVertxOptions", new VertxOptions()
                .setPreferNativeTransport(kyc.bool("ingress.native-transport", true))
                .setWorkerPoolSize((int) kyc.number("ingress.worker-threads", 20)));
        context.getRegistry().bind("dataSource", dataSource);
        context.getRegistry().bind("vendorRegistry", vendors);
        // the ingress stores each delivery with its event (group commit); stopped before the dispatcher and the pool
        Intake intake = new Intake(dataSource, inbox, events, clock, dispatcher::dispatch, maxBatch, commitWait,
                // every delivery of a batch waits out its linger: more than 100 ms is a mistake, capped
                Duration.ofNanos(Math.min(kyc.number("db.group-commit.linger-us", 0), 100_000) * 1_000), durability);
        onStop(context, intake::close);
        // deliveries a crash left in the journal are written again before any route starts (after the cursors exist)
        schema.then(() -> recover(intake));
        VendorAuthenticator authenticator = new VendorAuthenticator(clock, vendors.devAcceptUnauthenticated());
        context.getRegistry().bind("ingress", new Ingress(vendors, authenticator, intake, json, clock, metrics));
        UserReferences userReferences = UserReferences.load(kyc, vendors.names());
        context.getRegistry().bind("canonical", new Canonicalizer(new StoreEventRecorder(events, inbox), dispatcher::poll,
                userReferences));
        context.getRegistry().bind("inboxRecovery", new InboxRecovery(inbox, vendors, json, clock,
                Duration.ofMillis(kyc.number("inbox.recovery-grace-ms", 30_000)),
                recoveryMaxAttempts,
                (int) kyc.number("inbox.recovery-batch-size", 100)));
        context.getRegistry().bind("outboxDispatcher", dispatcher);
        context.getRegistry().bind("retention", new Retention(dataSource, clock,
                Duration.ofDays(kyc.number("retention.inbox-body-days", 30)),
                (int) kyc.number("retention.batch-size", 500), Duration.ofMillis(kyc.number("retention.pause-ms", 50))));
        context.getRegistry().bind("h2Compaction", new H2Compaction(dataSource,
                (int) kyc.number("db.h2.compact-fill-rate", 80), (int) kyc.number("db.h2.compact-bytes", 131_072),
                metrics.compactionRuns()));
        context.getRegistry().bind("notifyTransport", new NotifyTransport(clock));
        // each target's route from the template of its type (router/notifiers.yaml); Camel Main collects this builder
        // from the registry and adds templated routes once the route files are loaded
        context.getRegistry().bind("notifierTargetRoutes", new TargetRoutes(targets));
        // no request header, query parameter or form field becomes a message header: credentials are read from the
        // request itself, and path parameters (vendor, verificationId, id, name) cannot be overridden from the query
        context.getComponent("platform-http", PlatformHttpComponent.class).setHeaderFilterStrategy(new ExternalHeaderFilter());
        // the webhook routes run on the request's event loop, their commit awaited asynchronously (WebhookHttpEngine);
        // kyc.ingress.event-loop = false leaves them to Camel's engine (a worker thread each, held until answered)
        if (kyc.bool("ingress.event-loop", true)) {
            context.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, new WebhookHttpEngine());
        }
        // the console (router/console.yaml): sign-in with the operator token opens a server-side session (kyc.console.*)
        String operatorToken = kyc.get("api.operator-token").orElse(null);
        ConsoleSessions sessions = new ConsoleSessions(operatorToken, clock,
                Duration.ofSeconds(kyc.number("console.session-idle-seconds", 1_800)),
                Duration.ofSeconds(kyc.number("console.session-max-seconds", 28_800)),
                (int) kyc.number("console.max-sessions", 100));
        ConsoleGate consoleGate = new ConsoleGate(sessions, kyc.list("console.allowed-origins"), kyc.get("console.secure-cookie", "auto"));
        // wrong operator tokens per client address, the API's and the console's sign-in's together (kyc.api.*)
        TokenGuessThrottle guesses = new TokenGuessThrottle(clock, (int) kyc.number("api.max-wrong-tokens", 10),
                Duration.ofSeconds(kyc.number("api.wrong-tokens-window-seconds", 60)), 10_000);
        context.getRegistry().bind("consolePages", new ConsolePages(consoleGate, guesses));
        context.getRegistry().bind("operatorApi", new OperatorApi(operatorToken, consoleGate, guesses));
        context.getRegistry().bind("deliveriesApi", new DeliveriesApi(outbox, targets));
        context.getRegistry().bind("parkedDeliveriesApi", new ParkedDeliveriesApi(dataSource, vendors.names()));
        // stored deliveries mapped again through the current routes, by the mapping route the ingress uses (direct:map)
        context.getRegistry().bind("remapApi", new RemapApi(new Remapper(
                new EventRevisions(dataSource, events, inbox, clock, new ObjectMapper()), vendors, json,
                context.createProducerTemplate(), "direct:map", dispatcher::poll)));
        context.getRegistry().bind("overviewApi", new OverviewApi(context, dataSource, vendors.names(),
                targets.all().stream().map(TargetDefinition::name).toList(), outboxDepth, outbox, refusals, clock));
        context.getRegistry().bind("deliveriesInApi", new DeliveriesInApi(dataSource, vendors.names(), refusals));
        context.getRegistry().bind("verificationsApi", new VerificationsApi(dataSource, vendors.names(), userReferences));
        // request bodies in flight share a memory budget (kyc.ingress.body-memory, default a sixteenth of the heap), taken
        // as they arrive; a body that makes no progress for kyc.ingress.body-progress-timeout-ms gets a 408
        BodyMemoryBudget bodyMemory = new BodyMemoryBudget(kyc.number("ingress.body-memory", BodyMemoryBudget.defaultCapacity()));
        metrics.bodyMemory(bodyMemory::inUse);
        BodyReader bodyReader = new BodyReader(bodyMemory, kyc.number("ingress.server-max-body-size", 4_194_304),
                Duration.ofMillis(kyc.number("ingress.body-progress-timeout-ms", 5_000)), () -> metrics.shed("body_memory"));
        // requests in work at once (kyc.ingress.max-requests-in-flight, default from the heap)
        RequestsInFlight inFlight = new RequestsInFlight((int) kyc.number("ingress.max-requests-in-flight",
                RequestsInFlight.defaultLimit()), () -> metrics.shed("in_flight"));
        metrics.requestsInFlight(inFlight::inFlight);
        context.addStartupListener(new StartupChecks(vendors, folders));
        // webhooks the server refuses outside the routes (408 too slow, 413 over the server's limit) count as refusals too
        context.addStartupListener(new ServerGuards(kyc, bodyReader, new EarlyRefusals(vendors, authenticator, metrics, clock), inFlight,
                (vendor, error) -> refusals.record(vendors.find(vendor).map(VendorDefinition::name).orElse("unknown"), RefusalReasons.of(error, null))));
    }

    private static Durability journaled(HikariDataSource dataSource, java.util.Optional<java.nio.file.Path> directory) {
        if (directory.isEmpty()) {
            return Durability.atCommit();
        }
        try {
            return Durability.journaled(dataSource, DeliveryJournal.open(directory.get()));
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot open the delivery journal in " + directory.get() + ": " + e);
        }
    }

    private static void recover(Intake intake) {
        try {
            intake.recover();
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new ConfigException("the deliveries left in the journal could not be written again: " + e);
        }
    }

    private static void exposeTo(CamelContext context, CompositeMeterRegistry meters) throws Exception {
        Runnable attach = () -> context.getRegistry().findByType(MeterRegistry.class).stream()
                .filter(r -> r != meters && !meters.getRegistries().contains(r))
                .forEach(meters::add);
        attach.run();
        context.addStartupListener((ctx, alreadyStarted) -> { // runs after Camel bound its registries
            attach.run();
            if (meters.getRegistries().isEmpty()) { // camel.metrics off: nothing exposes them; keep them readable in-process
                PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                ctx.getRegistry().bind("kycMeterRegistry", own);
                meters.add(own);
            }
        });
    }

    /** Runs an action when the context stops; services stop in the reverse order they were added. */
    private static void onStop(CamelContext context, Runnable action) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                action.run();
            }
        }, true, true);
    }
}
