import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.store.Database;
import io.kycrouter.store.EventStore;
import io.kycrouter.store.H2Compaction;
import io.kycrouter.store.Inbox;
import io.kycrouter.store.Intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's cost alone, for comparing H2 settings (or schema changes) in one run: the router's own intake (group
 * commit of the delivery, its canonical event and the verification's state) on one embedded H2 file per variant,
 * driven by N threads that each submit a new delivery as soon as the previous one is committed (a verification gets
 * three events). Variants are measured in interleaved rounds, so that the JIT and the machine's other load weigh on all
 * of them alike. Prints, per variant: deliveries/s, the intake writer thread's CPU per delivery, and database file
 * bytes per delivery.
 *
 *   java -cp target/kyc-webhook-router.jar bench/StoreCost.java [threads] [seconds per round] [rounds] 'name=URL options' ...
 *
 * e.g. 'default=' 'plain=COMPRESS=FALSE' 'noindex=|drop index ix_inbox_unprocessed' (statements after a '|' run once the
 * migrations have: a schema change measured before it is made). The options are appended to a file URL
 * that has WRITE_DELAY=0 and QUERY_CACHE_SIZE=64 (what the router sets); COMPRESS=TRUE is added unless given.
 * HOUSEKEEP=fill/bytes/period-ms compacts the variant's file with the router's H2Compaction from a thread of its own
 * (as the router's timer route does); that thread's CPU over the whole measured part counts with the writer's.
 */
public class StoreCost {

    /** The intake's linger, as config/application.properties sets it (kyc.db.group-commit.linger-us); -Dlinger-us=N. */
    static final Duration LINGER = Duration.ofNanos(Long.getLong("linger-us", 2_000) * 1_000);

    record Variant(String name, HikariDataSource dataSource, Intake intake, Path file, AtomicLong delivered, AtomicLong cpuNanos,
                   AtomicLong wallNanos, AtomicLong lastSize) {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path dir = Files.createTempDirectory("storecost");
        List<Variant> variants = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] nv = args[i].split("=", 2);
            // 'name=options|sql|sql': statements run after the migrations (a schema change measured before it is made)
            String[] parts = nv[1].split("\\|");
            nv[1] = parts[0];
            String options = nv[1].isEmpty() ? "" : ";" + nv[1];
            // HOUSEKEEP=<fill rate>/<bytes>/<period ms>: not H2's; compacts the store from a thread of its own
            String housekeep = null;
            java.util.regex.Matcher hk = java.util.regex.Pattern.compile(";HOUSEKEEP=([0-9/]+)").matcher(options);
            if (hk.find()) {
                housekeep = hk.group(1);
                options = hk.replaceAll("");
            }
            if (!options.toUpperCase().contains("COMPRESS=")) {
                options += ";COMPRESS=TRUE";
            }
            if (!options.toUpperCase().contains("WRITE_DELAY=")) {
                options += ";WRITE_DELAY=0";
            }
            String url = "jdbc:h2:file:" + dir.resolve(nv[0]) + ";QUERY_CACHE_SIZE=64" + options;
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername("sa");
            config.setMaximumPoolSize(10);
            HikariDataSource ds = new HikariDataSource(config);
            Database.migrate(ds);
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                for (int p = 1; p < parts.length; p++) {
                    st.execute(parts[p]);
                }
            }
            Clock clock = Clock.systemUTC();
            Intake intake = new Intake(ds, new Inbox(ds), new EventStore(ds, clock, new ObjectMapper(), 64, Duration.ofSeconds(10)),
                    clock, () -> { }, 64, Duration.ofSeconds(10), LINGER);
            WRITERS.put(nv[0], newThread("kyc-intake-writer"));
            if (housekeep != null) {
                String[] h = housekeep.split("/");
                H2Compaction compaction = new H2Compaction(ds, Integer.parseInt(h[0]), Integer.parseInt(h[1]));
                Thread keeper = new Thread(() -> { // as the router's timer route does
                    while (true) {
                        try {
                            Thread.sleep(Long.parseLong(h[2]));
                        } catch (InterruptedException e) {
                            return;
                        }
                        long t0 = System.nanoTime();
                        compaction.compact();
                        long took = System.nanoTime() - t0;
                        COMPACT_RUNS.merge(nv[0], 1L, Long::sum);
                        COMPACT_NANOS.merge(nv[0], took, Long::sum);
                        COMPACT_MAX.merge(nv[0], took, Math::max);
                    }
                }, "housekeeper-" + nv[0]);
                keeper.setDaemon(true);
                keeper.start();
                KEEPERS.put(nv[0], keeper.getId());
            }
            variants.add(new Variant(nv[0], ds, intake, dir.resolve(nv[0] + ".mv.db"), new AtomicLong(), new AtomicLong(), new AtomicLong(),
                    new AtomicLong()));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Random random = new Random(17);
        AtomicLong counter = new AtomicLong();
        Map<String, Long> keeperCpu0 = new java.util.HashMap<>();
        for (int round = -1; round < rounds; round++) { // round -1 warms up every variant
            if (round == 0) {
                KEEPERS.forEach((name, id) -> keeperCpu0.put(name, mx.getThreadCpuTime(id)));
            }
            for (Variant v : variants) {
                long writer = WRITERS.get(v.name());
                long cpu0 = mx.getThreadCpuTime(writer);
                long process0 = PROCESS.getProcessCpuTime();
                long start = System.nanoTime();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong done = new AtomicLong();
                List<Thread> senders = new ArrayList<>();
                boolean measured = round >= 0;
                for (int t = 0; t < threads; t++) {
                    long seed = random.nextLong();
                    Thread sender = new Thread(() -> {
                        Random r = new Random(seed);
                        long[] took = new long[1024];
                        int count = 0;
                        while (!stop.get()) {
                            long n = counter.incrementAndGet();
                            Intake.Accepted delivery = delivery(n, r);
                            long t0 = System.nanoTime();
                            v.intake().accept(delivery);
                            if (count == took.length) {
                                took = java.util.Arrays.copyOf(took, count * 2);
                            }
                            took[count++] = System.nanoTime() - t0;
                            done.incrementAndGet();
                        }
                        if (measured) {
                            LATENCIES.computeIfAbsent(v.name(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                    .add(java.util.Arrays.copyOf(took, count));
                        }
                    });
                    sender.start();
                    senders.add(sender);
                }
                Thread.sleep(seconds * 1000L);
                stop.set(true);
                for (Thread s : senders) {
                    s.join();
                }
                if (round >= 0) {
                    long size = Files.size(v.file());
                    System.out.printf("round %d %-12s %8d deliveries, file +%d bytes per delivery%n", round, v.name(), done.get(),
                            (size - v.lastSize().get()) / Math.max(1, done.get()));
                    v.lastSize().set(size);
                    v.delivered().addAndGet(done.get());
                    v.cpuNanos().addAndGet(mx.getThreadCpuTime(writer) - cpu0);
                    PROCESS_NANOS.merge(v.name(), PROCESS.getProcessCpuTime() - process0, Long::sum);
                    v.wallNanos().addAndGet(System.nanoTime() - start);
                }
            }
        }
        KEEPERS.forEach((name, id) -> variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .ifPresent(v -> v.cpuNanos().addAndGet(mx.getThreadCpuTime(id) - keeperCpu0.get(name))));
        System.out.printf("%-12s %12s %22s %20s %22s%n", "variant", "deliveries/s", "writer CPU/delivery", "file bytes/delivery",
                "process CPU/delivery");
        for (Variant v : variants) {
            long n = v.delivered().get();
            System.out.printf("%-12s %12.0f %19.0f us %20.0f %19.0f us%n", v.name(), n / (v.wallNanos().get() / 1e9),
                    v.cpuNanos().get() / 1e3 / n, (double) Files.size(v.file()) / counter.get() * variants.size(),
                    PROCESS_NANOS.get(v.name()) / 1e3 / n);
            long[] all = LATENCIES.getOrDefault(v.name(), List.of()).stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            if (all.length > 0) {
                System.out.printf("%-12s commit wait: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n", "", all[all.length / 2] / 1e6,
                        all[(int) (all.length * 0.99)] / 1e6, all[(int) (all.length * 0.999)] / 1e6, all[all.length - 1] / 1e6);
            }
            if (COMPACT_RUNS.containsKey(v.name())) {
                System.out.printf("%-12s compaction: %d runs, %.1f ms on average, longest %.1f ms%n", "", COMPACT_RUNS.get(v.name()),
                        COMPACT_NANOS.get(v.name()) / 1e6 / COMPACT_RUNS.get(v.name()), COMPACT_MAX.get(v.name()) / 1e6);
            }
            v.intake().close();
            v.dataSource().close();
        }
    }

    private static final Map<String, Long> KEEPERS = new ConcurrentHashMap<>();
    /** The whole process's CPU (senders included, the same for every variant; H2's own background writer too). */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Map<String, Long> PROCESS_NANOS = new ConcurrentHashMap<>();
    /** Per variant: how long each measured delivery waited for its commit, in nanoseconds. */
    private static final Map<String, List<long[]>> LATENCIES = new ConcurrentHashMap<>();
    /** Per variant: compaction runs, their time in all, the longest (the store is locked for commits meanwhile). */
    private static final Map<String, Long> COMPACT_RUNS = new ConcurrentHashMap<>();
    private static final Map<String, Long> COMPACT_NANOS = new ConcurrentHashMap<>();
    private static final Map<String, Long> COMPACT_MAX = new ConcurrentHashMap<>();

    /** The intake writer thread of each variant. */
    private static final Map<String, Long> WRITERS = new ConcurrentHashMap<>();

    /** The thread of that name started last (the variant's, just created). */
    private static long newThread(String name) {
        long newest = -1;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && !WRITERS.containsValue(t.getId())) {
                newest = Math.max(newest, t.getId());
            }
        }
        return newest;
    }

    private static final String[] WORDS = {"document", "selfie", "liveness", "passport", "country", "review", "check",
            "result", "score", "level", "applicant", "address", "match", "face", "ocr", "field", "warning", "clear",
            "attempt", "device", "session", "network", "risk", "source", "watchlist", "expiry", "issuer", "front", "back"};

    /** A delivery of about 1.4 KB: a vendor-like JSON body with ids, times and words (about as compressible as real ones). */
    static Intake.Accepted delivery(long n, Random r) {
        // three events per verification, verifications in no particular order (as their ids are in the index)
        String verification = "v-" + Long.toHexString((n / 3) * 0x9E3779B97F4A7C15L);
        String key = UUID.randomUUID().toString();
        Instant now = Instant.now();
        StringBuilder body = new StringBuilder("{\"type\":\"applicantReviewed\",\"applicantId\":\"").append(verification)
                .append("\",\"inspectionId\":\"").append(UUID.randomUUID()).append("\",\"correlationId\":\"").append(key)
                .append("\",\"createdAtMs\":\"").append(now).append("\",\"reviewResult\":{\"reviewAnswer\":\"GREEN\"},\"checks\":[");
        while (body.length() < 1300) {
            body.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"at\":\"").append(now.minusMillis(r.nextInt(100_000)))
                    .append("\",\"name\":\"").append(WORDS[r.nextInt(WORDS.length)]).append('_').append(WORDS[r.nextInt(WORDS.length)])
                    .append("\",\"score\":").append(r.nextInt(1000) / 10.0).append("},");
        }
        body.setLength(body.length() - 1);
        body.append("]}");
        // a time-ordered event id, as the router's (UUIDv7)
        String eventId = new UUID(now.toEpochMilli() << 16 | 0x7000L | (n & 0xFFF), 0x8000_0000_0000_0000L | (r.nextLong() >>> 2)).toString();
        VerificationEvent event = new VerificationEvent(eventId, "sumsub", "applicantReviewed", key,
                CanonicalType.VERIFICATION_COMPLETED, CanonicalStatus.APPROVED, true, verification, null, null, List.of(),
                List.of(), false, now.toString(), now.toString(), 0);
        return new Intake.Accepted(new Inbox.Incoming("sumsub", key, body.toString(), now, "hmac-sha256"), event, null);
    }
}
