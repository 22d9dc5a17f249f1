package io.kycrouter.cli;

import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code run} (the default): the router, until it is stopped. */
public final class RunCommand implements Command {

    private final Function<Map<String, String>, Main> router;
    private final Map<String, String> overrides;

    /**
     * @param router    builds the configured router from override properties (KycWebhookRouter.create)
     * @param overrides what this command sets over the configuration files
     */
    public RunCommand(Function<Map<String, String>, Main> router, Map<String, String> overrides) {
        this.router = router;
        this.overrides = overrides;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Main main = router.apply(overrides);
        try {
            return main.run(args.toArray(String[]::new));
        } catch (Exception e) {
            StartupFailure.print(e, err);
            return PROBLEMS;
        }
    }
}
