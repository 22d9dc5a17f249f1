package io.kycrouter.cli;

import ch.qos.logback.classic.Level;
import io.kycrouter.canonical.UserReferences;
import io.kycrouter.contract.ConfigContract;
import io.kycrouter.contract.Problem;
import io.kycrouter.contract.RouteContract;
import io.kycrouter.notify.Targets;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorFolders;
import io.kycrouter.vendors.VendorRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code check}: validates the configuration and every route file without starting the router. Camel Main reads the
 * properties and loads the route files into the route model (it is initialised, never started: no server, no
 * database, no consumer); then the configuration contract, the vendors' and targets' settings and the mapping
 * contract are checked on what was loaded. Prints each problem as {@code <file>:<line>: <where>: <message>}, or
 * "OK: n vendors, m routes"; exits 1 on problems, 0 when clean.
 */
public final class CheckCommand implements Command {

    /** Nothing that would listen or connect, even while only initialised. */
    private static final Map<String, String> OFFLINE = Map.of(
            "camel.server.enabled", "false",
            "camel.management.enabled", "false",
            "camel.metrics.enabled", "false",
            "camel.main.auto-configuration-log-summary", "false");

    private final Function<Map<String, String>, Main> configuredOnly;
    private final Map<String, String> overrides;

    /**
     * @param configuredOnly builds Camel Main with the router's configuration files and no beans
     *                       (KycWebhookRouter.configuredOnly)
     * @param overrides      settings over the files (tests)
     */
    public CheckCommand(Function<Map<String, String>, Main> configuredOnly, Map<String, String> overrides) {
        this.configuredOnly = configuredOnly;
        this.overrides = overrides;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("check takes no arguments (it reads KYC_CONFIG and KYC_ROUTES_DIR, as run does)");
            return USAGE;
        }
        Runnable restoreLogs = quietInfoLogs();
        try {
            return check(out);
        } finally {
            restoreLogs.run();
        }
    }

    private int check(PrintStream out) {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putAll(OFFLINE);
        Main main = configuredOnly.apply(settings);
        Checks checks = new Checks();
        main.configure().addConfiguration(checks);
        int routes = 0;
        try {
            main.init();
            Model model = main.getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
            List<RouteDefinition> loaded = model.getRouteDefinitions();
            routes = loaded.size();
            checks.problems.addAll(RouteContract.check(RouteContract.vendorRoutes(loaded)));
            if (checks.vendors != null) {
                for (String vendor : checks.vendors.names()) {
                    String uri = RouteContract.VENDOR_ROUTE_PREFIX + vendor;
                    if (loaded.stream().noneMatch(r -> r.getInput() != null && uri.equals(r.getInput().getEndpointUri()))) {
                        checks.problems.add(new Problem(Problem.fileOf("file:" + checks.folders.routes(vendor)), 0, vendor,
                                "vendor " + vendor + " has no route consuming " + uri));
                    }
                }
            }
        } catch (Exception e) { // a route file Camel could not load, a vendor folder that is not one: the message names it
            checks.problems.add(new Problem("", 0, "loading", String.join("; ", StartupFailure.messages(e))));
        } finally {
            if (main.getCamelContext() != null) {
                main.getCamelContext().shutdown();
            }
        }
        if (!checks.problems.isEmpty()) {
            checks.problems.forEach(out::println);
            out.println(checks.problems.size() + " problem" + (checks.problems.size() == 1 ? "" : "s"));
            return PROBLEMS;
        }
        out.println("OK: " + checks.vendors.names().size() + " vendors, " + routes + " routes");
        return OK;
    }

    /**
     * Camel's start-up INFO lines would bury the answer; warnings (a vendor without credential) stay. Returns what
     * puts the levels back (the check also runs inside the tests' JVM).
     */
    private static Runnable quietInfoLogs() {
        if (System.getenv("KYC_LOG_LEVEL") != null) {
            return () -> { };
        }
        Map<ch.qos.logback.classic.Logger, Level> before = new HashMap<>();
        for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "org.apache.camel")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                before.put(logger, logger.getLevel());
                logger.setLevel(Level.WARN);
            }
        }
        return () -> before.forEach(ch.qos.logback.classic.Logger::setLevel);
    }

    /** Checks the configuration as Camel Main configures the context, where the router would build its beans. */
    private static final class Checks implements CamelConfiguration {

        final List<Problem> problems = new ArrayList<>();
        VendorRegistry vendors;
        VendorFolders folders;
        String configFile = "configuration";

        @Override
        public void configure(CamelContext context) {
            var properties = context.getPropertiesComponent();
            if (!properties.getLocations().isEmpty()) {
                configFile = Problem.fileOf(properties.getLocations().get(0));
            }
            Settings kyc = new Settings("kyc.", properties::resolveProperty);
            folders = context.getRegistry().findSingleByType(VendorFolders.class);
            problems.addAll(ConfigContract.of(properties.loadProperties(), kyc, folders).check());
            try {
                vendors = VendorRegistry.load(kyc, folders.names());
                UserReferences.load(kyc, vendors.names());
            } catch (RuntimeException e) {
                problems.add(new Problem(configFile, 0, "configuration", e.getMessage()));
            }
            try {
                Targets.load(kyc);
            } catch (RuntimeException e) {
                problems.add(new Problem(configFile, 0, "configuration", e.getMessage()));
            }
        }
    }
}
