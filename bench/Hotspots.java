import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the router's CPU goes, from a JFR recording of the full pipeline's measured run (bench/run.sh with
 * BENCH_PROFILE=1): the share of execution samples per method on top of the stack (self), and per method anywhere on
 * the stack (inclusive, the router's own and the libraries' entry points), and the allocation by class.
 *
 *   java bench/Hotspots.java recording.jfr [rows] [thread name prefix]
 *
 * With a thread name prefix (e.g. "vert.x-worker", "kyc-intake-writer"), only that kind of thread's samples count.
 */
public class Hotspots {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String threadPrefix = args.length > 2 ? args[2] : "";
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        long samples = 0;
        long bytes = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (!threadPrefix.isEmpty() && !threadName(e).startsWith(threadPrefix)) {
                continue;
            }
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        inclusive.merge(n, 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = e.getLong("weight");
                bytes += weight;
                allocated.merge(e.getClass("objectClass").getName() + "  <- " + name(frames.get(0)), weight, Long::sum);
            }
        }
        System.out.println(samples + " execution samples");
        print("self", self, samples, rows);
        print("inclusive", inclusive, samples, rows * 2);
        System.out.println();
        long total = bytes;
        System.out.println("allocation, " + total / 1_048_576 + " MB sampled:");
        allocated.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(en -> System.out.printf("  %5.1f %%  %s%n", en.getValue() * 100.0 / Math.max(1, total), en.getKey()));
    }

    static void print(String title, Map<String, Long> counts, long samples, int rows) {
        System.out.println();
        System.out.println(title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(en -> System.out.printf("  %5.1f %%  %s%n", en.getValue() * 100.0 / Math.max(1, samples), en.getKey()));
    }

    static String threadName(RecordedEvent e) {
        var thread = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread();
        return thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
    }

    static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
