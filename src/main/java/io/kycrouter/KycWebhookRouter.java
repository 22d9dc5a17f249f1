package io.kycrouter;

import io.kycrouter.cli.RemapCommand;
import org.apache.camel.main.Main;

import java.util.Arrays;
import java.util.Map;

/**
 * Starts the router: Camel Main with config/application.properties (or the file named by KYC_CONFIG), the vendor
 * folders under vendors/ (or KYC_VENDORS_DIR), both read from the file system at start-up, and the router's own
 * routes from the jar, any of them replaced by a file in routes/ (or KYC_ROUTES_DIR); see {@link RouterLayout}.
 */
public final class KycWebhookRouter {

    private KycWebhookRouter() {
    }

    /** {@code [run|remap ...]}: no argument, or {@code run}, starts the router; a command runs and exits. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "remap" -> System.exit(RemapCommand.run(rest));
            case "run" -> System.exit(create(Map.of()).run(rest));
            default -> System.exit(create(Map.of()).run(args));
        }
    }

    /** A configured, not yet started router; overrides win over every file and environment setting (tests). */
    public static Main create(Map<String, String> overrides) {
        // RouterConfiguration named, not found by a package scan: a scan walks every entry of the shaded jar and
        // loads classes on the way, at every start (docs/DECISIONS.md, decision 24)
        Main main = new Main();
        main.configure().addConfiguration(RouterConfiguration.class);
        main.addMainListener(new RouterLayout());
        String config = System.getenv().getOrDefault("KYC_CONFIG", "config/application.properties");
        main.setPropertyPlaceholderLocations("file:" + config);
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
