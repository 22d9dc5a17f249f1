package io.kycrouter;

import io.kycrouter.cli.MapCommand;
import io.kycrouter.cli.SendCommand;
import io.kycrouter.cli.Tools;
import org.apache.camel.main.Main;

import java.util.List;

import java.util.Map;

/**
 * Starts the router: Camel Main with config/application.properties (or the file named by KYC_CONFIG), the vendor
 * folders under vendors/ (or KYC_VENDORS_DIR), both read from the file system at start-up, and the router's own
 * routes from the jar, any of them replaced by a file in routes/ (or KYC_ROUTES_DIR); see {@link RouterLayout}.
 */
public final class KycWebhookRouter {

    private KycWebhookRouter() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 || args[0].startsWith("-") ? "run" : args[0];
        List<String> rest = args.length == 0 || args[0].startsWith("-") ? List.of(args) : List.of(args).subList(1, args.length);
        switch (command) {
            case "run" -> System.exit(create(Map.of()).run(rest.toArray(String[]::new)));
            case "map" -> System.exit(Tools.quietLogs(() -> MapCommand.run(rest, System.out, System.err, Map.of())));
            case "send" -> System.exit(Tools.quietLogs(() -> SendCommand.run(rest, System.out, System.err, Map.of())));
            default -> {
                System.err.println("unknown command '" + command + "'; usage: kyc-webhook-router [run|map|send] ...");
                System.exit(2);
            }
        }
    }

    /** A configured, not yet started router; overrides win over every file and environment setting (tests). */
    public static Main create(Map<String, String> overrides) {
        // RouterConfiguration named, not found by a package scan: a scan walks every entry of the shaded jar and
        // loads classes on the way, at every start (docs/DECISIONS.md, decision 24)
        Main main = new Main();
        main.configure().addConfiguration(RouterConfiguration.class);
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
