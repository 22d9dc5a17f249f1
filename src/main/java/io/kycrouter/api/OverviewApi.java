package io.kycrouter.api;

import io.kycrouter.ingress.Responses;
import io.kycrouter.notify.Outbox;
import io.kycrouter.notify.OutboxDepth;
import io.kycrouter.observe.RefusalLog;
import io.kycrouter.store.Inbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.kycrouter.store.Inbox.utc;

/**
 * {@code GET /api/overview} (router/api.yaml), the console's first page: per vendor, deliveries accepted, parked (no
 * canonical event) and mapped to UNKNOWN over the last hour and day, from the inbox; refusals by reason from the
 * router's in-memory {@link RefusalLog} (since its start); an hourly series over the last day for the chart; per
 * notifier target pending, oldest pending age, dead and disabled; the database and readiness state. Counts only,
 * never a body or an identifier.
 */
public final class OverviewApi {

    // accepted deliveries per vendor and hour of the last day; the bucket is computed the same way on H2 and PostgreSQL
    private static final String HOURLY = "select vendor, bucket, count(*), sum(parked), sum(unmapped) from ("
            + " select i.vendor as vendor, floor(extract(epoch from i.received_at) / 3600) as bucket,"
            + " case when i.processed_at is null then 1 else 0 end as parked,"
            + " case when c.type = 'UNKNOWN' then 1 else 0 end as unmapped"
            + " from inbox i left join canonical_event c on c.inbox_id = i.id where i.id >= ? and i.received_at >= ?) t group by vendor, bucket";
    private static final String LAST_HOUR = "select i.vendor, count(*), sum(case when i.processed_at is null then 1 else 0 end),"
            + " sum(case when c.type = 'UNKNOWN' then 1 else 0 end)"
            + " from inbox i left join canonical_event c on c.inbox_id = i.id where i.id >= ? and i.received_at >= ? group by i.vendor";

    /** How far two instances' clocks may differ: rows received this much before a window's start are read too. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(10);

    private final DataSource dataSource;
    private final Set<String> vendors;
    private final List<String> targets;
    private final OutboxDepth depth;
    private final Outbox outbox;
    private final RefusalLog refusals;
    private final Clock clock;
    private final CamelContext context;

    public OverviewApi(CamelContext context, DataSource dataSource, Set<String> vendors, List<String> targets, OutboxDepth depth, Outbox outbox,
                       RefusalLog refusals, Clock clock) {
        this.context = context;
        this.dataSource = dataSource;
        this.vendors = new TreeSet<>(vendors);
        this.targets = List.copyOf(targets);
        this.depth = depth;
        this.outbox = outbox;
        this.refusals = refusals;
        this.clock = clock;
    }

    public void overview(Exchange exchange) throws SQLException {
        Instant now = clock.instant();
        long hourNow = now.getEpochSecond() / 3600 * 3600;
        Map<String, long[]> lastHour = new TreeMap<>();
        Map<String, long[]> lastDay = new TreeMap<>();
        Map<String, Map<Long, long[]>> series = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            // the rows of the last day only, not the whole inbox: its id range, found by a search over the key
            Instant dayStart = Instant.ofEpochSecond(hourNow - 23 * 3600L);
            long dayFirstId = Inbox.firstIdSince(c, dayStart, CLOCK_SLACK);
            Instant hourStart = now.minus(Duration.ofHours(1));
            try (PreparedStatement s = c.prepareStatement(LAST_HOUR)) {
                s.setLong(1, Inbox.firstIdSince(c, hourStart, CLOCK_SLACK));
                s.setObject(2, utc(hourStart));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        lastHour.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(HOURLY)) {
                // whole hours: the chart's first bar is the hour 23 hours before the current one
                s.setLong(1, dayFirstId);
                s.setObject(2, utc(dayStart));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long[] counts = {rs.getLong(3), rs.getLong(4), rs.getLong(5)};
                        series.computeIfAbsent(rs.getString(1), v -> new TreeMap<>()).put(rs.getLong(2) * 3600, counts);
                        long[] day = lastDay.computeIfAbsent(rs.getString(1), v -> new long[3]);
                        for (int i = 0; i < 3; i++) {
                            day[i] += counts[i];
                        }
                    }
                }
            }
        }
        Map<String, Map<String, Long>> refusedHour = refusals.counts(60);
        Map<String, Map<String, Long>> refusedDay = refusals.counts(24 * 60);
        Map<String, Map<Long, Long>> refusedHourly = refusals.hourly();
        Set<String> shown = new TreeSet<>(vendors);
        shown.addAll(refusedDay.keySet()); // "unknown": refusals for a vendor path that is not configured
        List<Map<String, Object>> vendorViews = new ArrayList<>();
        for (String vendor : shown) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("vendor", vendor);
            view.put("lastHour", window(lastHour.get(vendor), refusedHour.get(vendor)));
            view.put("lastDay", window(lastDay.get(vendor), refusedDay.get(vendor)));
            List<Map<String, Object>> hours = new ArrayList<>();
            for (long hour = hourNow - 23 * 3600L; hour <= hourNow; hour += 3600) {
                long[] counts = series.getOrDefault(vendor, Map.of()).getOrDefault(hour, new long[3]);
                Map<String, Object> bar = new LinkedHashMap<>();
                bar.put("hour", Instant.ofEpochSecond(hour).toString());
                bar.put("accepted", counts[0]);
                bar.put("parked", counts[1]);
                bar.put("refused", refusedHourly.getOrDefault(vendor, Map.of()).getOrDefault(hour, 0L));
                hours.add(bar);
            }
            view.put("hourly", hours);
            vendorViews.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generatedAt", now.toString());
        body.put("refusalsCountedSince", refusals.since().toString());
        body.put("vendors", vendorViews);
        body.put("targets", targets());
        body.put("health", health());
        Responses.json(exchange, 200, body);
    }

    private static Map<String, Object> window(long[] inbox, Map<String, Long> refused) {
        long[] counts = inbox == null ? new long[3] : inbox;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("accepted", counts[0]);
        view.put("parked", counts[1]);
        view.put("unknown", counts[2]);
        Map<String, Long> reasons = refused == null ? Map.of() : refused;
        view.put("refused", reasons.values().stream().mapToLong(Long::longValue).sum());
        view.put("refusedByReason", reasons);
        return view;
    }

    private List<Map<String, Object>> targets() {
        Map<String, long[]> values = depth.depth(targets);
        Map<String, Map<String, Object>> disabled = new TreeMap<>();
        for (Map<String, Object> row : outbox.disabledTargets()) {
            disabled.put(String.valueOf(row.get("target")), row);
        }
        List<Map<String, Object>> views = new ArrayList<>();
        for (String target : targets) {
            long[] v = values.getOrDefault(target, new long[3]);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("target", target);
            view.put("pending", v[0]);
            view.put("oldestPendingSeconds", v[1] / 1000);
            view.put("dead", v[2]);
            Map<String, Object> off = disabled.get(target);
            view.put("disabled", off != null);
            view.put("disabledAt", off == null ? null : OperatorApi.plain(off.get("disabledAt")));
            view.put("disabledReason", off == null ? null : off.get("reason"));
            views.add(view);
        }
        return views;
    }

    /** The readiness checks as /observe/health/ready reports them (the database's among them). */
    private Map<String, Object> health() {
        Map<String, Object> view = new LinkedHashMap<>();
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        boolean ready = !results.isEmpty();
        Map<String, String> checks = new TreeMap<>();
        for (HealthCheck.Result result : results) {
            checks.put(result.getCheck().getId(), result.getState().name());
            ready &= result.getState() == HealthCheck.State.UP;
        }
        view.put("ready", ready);
        view.put("database", checks.getOrDefault("database", "UNKNOWN"));
        view.put("checks", checks);
        return view;
    }
}
