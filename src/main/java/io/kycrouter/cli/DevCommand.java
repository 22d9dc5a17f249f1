package io.kycrouter.cli;

import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code dev}: the router, reloading a vendor's routes.yaml when it is saved (Camel Main's route reload on the vendor
 * folders, KYC_VENDORS_DIR). A file with a mistake (YAML, an unknown step, the mapping contract) is refused with a
 * message naming it, and the routes already running keep serving. Settings (vendor.properties, application.properties:
 * authentication, event keys) are read at start-up only: edit them, restart.
 */
public final class DevCommand implements Command {

    private final RunCommand run;

    public DevCommand(Function<Map<String, String>, Main> router) {
        this.run = new RunCommand(router, SETTINGS);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        return run.run(args, out, err);
    }

    /**
     * What dev mode adds to run: Camel Main's route reload on the vendor folders (kyc.vendors.dir, with its
     * sub-folders), for the routes.yaml files. Only the routes of the saved file are replaced: the other vendors' and
     * the router's own (some made from templates, which a reload of everything would not restore) keep running.
     */
    public static final Map<String, String> SETTINGS = Map.of(
            "camel.main.routes-reload-enabled", "true",
            "camel.main.routes-reload-directory", "{{kyc.vendors.dir}}",
            "camel.main.routes-reload-directory-recursive", "true",
            "camel.main.routes-reload-pattern", "*.yaml",
            "camel.main.routes-reload-remove-all-routes", "false");
}
