package io.kycrouter;

import io.kycrouter.cli.CheckCommand;
import io.kycrouter.cli.Command;
import io.kycrouter.cli.DevCommand;
import io.kycrouter.cli.MapCommand;
import io.kycrouter.cli.RemapCommand;
import io.kycrouter.cli.RunCommand;
import io.kycrouter.cli.SendCommand;
import io.kycrouter.cli.Tools;
import io.kycrouter.store.Database;
import io.kycrouter.vendors.JsonPathCache;
import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The jar's entry point: {@code java -jar kyc-webhook-router.jar [command]}, the command first (no command: run).
 * The router is Camel Main with config/application.properties (or the file named by KYC_CONFIG), the vendor folders
 * under vendors/ (or KYC_VENDORS_DIR), both read from the file system at start-up, and the router's own routes from
 * the jar, any of them replaced by a file in routes/ (or KYC_ROUTES_DIR); see {@link RouterLayout}.
 */
public final class KycWebhookRouter {

    /** The commands, by name; a new command is one line here and its class in package cli. */
    private static final Map<String, Supplier<Command>> COMMANDS = new LinkedHashMap<>();

    static {
        // before any route evaluates a JSONPath: its default path cache takes a lock per lookup (decision 80)
        JsonPathCache.install();
        COMMANDS.put("run", () -> new RunCommand(KycWebhookRouter::create, Map.of()));
        COMMANDS.put("dev", () -> new DevCommand(KycWebhookRouter::create));
        COMMANDS.put("check", () -> new CheckCommand(KycWebhookRouter::configuredOnly, Map.of()));
        COMMANDS.put("map", () -> Tools.logsOnStderr(new MapCommand(Map.of())));
        COMMANDS.put("send", () -> Tools.logsOnStderr(new SendCommand(Map.of())));
        COMMANDS.put("remap", () -> new RemapCommand(System.getenv()));
    }

    private KycWebhookRouter() {
    }

    public static void main(String[] args) throws Exception {
        Database.switchOffH2ObjectCache(); // before anything loads H2
        System.exit(dispatch(args, System.out, System.err));
    }

    /** Runs the command the first argument names; arguments starting with '-' (Camel Main's) mean run. */
    static int dispatch(String[] args, PrintStream out, PrintStream err) throws Exception {
        boolean named = args.length > 0 && !args[0].startsWith("-");
        String name = named ? args[0] : "run";
        Supplier<Command> command = COMMANDS.get(name);
        if (command == null) {
            err.println("unknown command '" + name + "'; usage: java -jar kyc-webhook-router.jar ["
                    + String.join("|", COMMANDS.keySet()) + "] (no command: run)");
            return Command.USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(named ? 1 : 0, args.length);
        return command.get().run(rest, out, err);
    }

    /** A configured, not yet started router; overrides win over every file and environment setting (tests). */
    public static Main create(Map<String, String> overrides) {
        // RouterConfiguration named, not found by a package scan: a scan walks every entry of the shaded jar and
        // loads classes on the way, at every start (docs/DECISIONS.md, decision 24)
        Main main = configuredOnly(overrides);
        main.configure().addConfiguration(RouterConfiguration.class);
        return main;
    }

    /**
     * Camel Main with the router's configuration files, its layout (vendor folders, route files) and the overrides,
     * but none of its beans (check).
     */
    public static Main configuredOnly(Map<String, String> overrides) {
        Main main = new Main();
        main.addMainListener(new RouterLayout());
        main.setPropertyPlaceholderLocations(configLocation());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** The configuration file: config/application.properties, or the file named by KYC_CONFIG. */
    public static String configLocation() {
        return "file:" + System.getenv().getOrDefault("KYC_CONFIG", "config/application.properties");
    }
}
