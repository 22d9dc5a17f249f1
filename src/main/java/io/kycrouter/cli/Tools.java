package io.kycrouter.cli;

import org.slf4j.LoggerFactory;

import java.util.function.IntSupplier;

/** What the jar's tools (map, send) share when run from the command line. */
public final class Tools {

    private Tools() {
    }

    /**
     * Runs a tool with the router's logs on stderr, warnings and errors only (unless KYC_LOG_LEVEL says otherwise):
     * stdout is the tool's answer. Set before the first logger is created, when logback reads logback.xml.
     */
    public static int quietLogs(IntSupplier tool) {
        System.setProperty("KYC_LOG_TARGET", "System.err");
        if (System.getenv("KYC_LOG_LEVEL") == null) {
            System.setProperty("KYC_LOG_LEVEL", "WARN");
        }
        if (System.getenv("KYC_LOG_LEVEL") == null
                && LoggerFactory.getLogger("org.apache.camel") instanceof ch.qos.logback.classic.Logger camel) {
            camel.setLevel(ch.qos.logback.classic.Level.WARN); // logback.xml keeps Camel's start and stop lines at INFO
        }
        return tool.getAsInt();
    }
}
