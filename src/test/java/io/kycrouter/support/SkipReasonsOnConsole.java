package io.kycrouter.support;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Prints one line {@code SKIPPED: <class>.<method>: <reason>} for every test that is skipped (disabled, a failed
 * condition) or aborted (a failed assumption) on the process's real standard error. Surefire redirects each
 * test's System.out and System.err to target/surefire-reports/*-output.txt (redirectTestOutputToFile), where a
 * skip reason goes unread; the forked JVM's own standard error still reaches the console of {@code mvn test}.
 * Where a whole class is skipped or aborted (in a @BeforeAll), the line is printed for each of its tests.
 * Registered in META-INF/services/org.junit.platform.launcher.TestExecutionListener.
 */
public final class SkipReasonsOnConsole implements TestExecutionListener {

    private static final PrintStream CONSOLE =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(SkipReasonsOnConsole::reasonOf).orElse("aborted"));
        }
    }

    private void report(TestIdentifier test, String reason) {
        if (test.isTest()) {
            CONSOLE.println("SKIPPED: " + name(test) + ": " + reason);
            return;
        }
        Set<TestIdentifier> children = plan == null ? Set.of() : plan.getChildren(test);
        if (children.isEmpty()) {
            CONSOLE.println("SKIPPED: " + name(test) + ": " + reason);
        }
        children.forEach(child -> report(child, reason));
    }

    private static String name(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            return simple(method.getClassName()) + "." + method.getMethodName();
        }
        if (source instanceof ClassSource type) {
            return simple(type.getClassName());
        }
        return test.getDisplayName();
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String reasonOf(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
