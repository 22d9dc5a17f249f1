package io.kycrouter.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of the jar ({@code java -jar kyc-webhook-router.jar <command> [arguments]}). */
public interface Command {

    /** Exit codes: 0 done, 1 the command found problems (or the router could not start), 2 a usage mistake. */
    int OK = 0;
    int PROBLEMS = 1;
    int USAGE = 2;

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
