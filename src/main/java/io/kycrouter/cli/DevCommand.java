package io.kycrouter.cli;

import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code dev}: the router, reloading a route file when it is saved (Camel Main's route reload on the routes folder,
 * KYC_ROUTES_DIR). Only the routes of the saved file are replaced; a file with a mistake (YAML, an unknown step, the
 * mapping contract) is refused with a message naming it, and the routes already running keep serving. Configuration
 * (application.properties: vendors' authentication, event keys) is read at start-up only: edit it, restart.
 */
public final class DevCommand implements Command {

    private final RunCommand run;

    public DevCommand(Function<Map<String, String>, Main> router, Map<String, String> env) {
        this.run = new RunCommand(router, settings(env));
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        return run.run(args, out, err);
    }

    /** The settings dev mode adds to run, for the routes folder the environment names. */
    public static Map<String, String> settings(Map<String, String> env) {
        return settings(env.getOrDefault("KYC_ROUTES_DIR", "routes"));
    }

    public static Map<String, String> settings(String routesDirectory) {
        return Map.of(
                "camel.main.routes-reload-enabled", "true",
                "camel.main.routes-reload-directory", routesDirectory,
                "camel.main.routes-reload-directory-recursive", "true",
                "camel.main.routes-reload-pattern", "*.yaml",
                // the other files' routes (and the notifier routes made from templates) are left running
                "camel.main.routes-reload-remove-all-routes", "false");
    }
}
