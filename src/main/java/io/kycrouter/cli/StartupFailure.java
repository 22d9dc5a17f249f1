package io.kycrouter.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A router that did not start says why in a few lines: the messages of the failure and its causes, each once; the
 * stack trace goes to the DEBUG log (KYC_LOG_LEVEL=DEBUG), not between the operator and the message.
 */
public final class StartupFailure {

    private static final Logger LOG = LoggerFactory.getLogger(StartupFailure.class);
    private static final int MAX_CAUSES = 4;

    private StartupFailure() {
    }

    public static void print(Throwable failure, PrintStream err) {
        List<String> messages = messages(failure);
        err.println("kyc-webhook-router did not start: " + (messages.isEmpty() ? failure.getClass().getName() : messages.get(0)));
        for (String message : messages.subList(Math.min(1, messages.size()), messages.size())) {
            err.println("  caused by: " + message);
        }
        LOG.debug("start-up failure", failure);
    }

    /** The distinct messages along the cause chain, a wrapper's message that repeats its cause's dropped. */
    static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            String cause = t.getCause() == null ? null : t.getCause().toString();
            if (cause != null && message.equals(cause) || messages.stream().anyMatch(m -> m.contains(message))) {
                continue; // a wrapper saying only what its cause says
            }
            messages.add(message);
        }
        return messages;
    }
}
