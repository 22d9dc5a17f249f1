package io.kycrouter.cli;

import org.slf4j.LoggerFactory;

/** What the jar's tools (map, send) share when run from the command line. */
public final class Tools {

    private Tools() {
    }

    /**
     * A tool run with the router's logs on stderr, warnings and errors only (unless KYC_LOG_LEVEL says otherwise):
     * stdout is the tool's answer. Set before the first logger is created, when logback reads logback.xml; only from
     * the jar's entry point, never in a JVM shared with other work (tests), whose logging it would change.
     */
    public static Command logsOnStderr(Command tool) {
        return (args, out, err) -> {
            System.setProperty("KYC_LOG_TARGET", "System.err");
            if (System.getenv("KYC_LOG_LEVEL") == null) {
                System.setProperty("KYC_LOG_LEVEL", "WARN");
                if (LoggerFactory.getLogger("org.apache.camel") instanceof ch.qos.logback.classic.Logger camel) {
                    camel.setLevel(ch.qos.logback.classic.Level.WARN); // logback.xml keeps Camel's lines at INFO
                }
            }
            return tool.run(args, out, err);
        };
    }
}
