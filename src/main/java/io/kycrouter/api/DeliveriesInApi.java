package io.kycrouter.api;

import io.kycrouter.ingress.Responses;
import io.kycrouter.observe.RefusalLog;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deliveries that came in (router/api.yaml): {@code GET /api/inbox/latest}, the latest accepted ones with their
 * outcome (mapped, unknown: mapped to UNKNOWN, parked: no canonical event), and {@code GET /api/refusals}, the latest
 * refused ones from the router's memory (never stored: lost on restart). Vendor, event type, outcome and time only:
 * never the body, the event key or anything else the sender chose.
 */
public final class DeliveriesInApi {

    private static final String LATEST = "select i.id, i.vendor, i.received_at, i.processed_at, c.vendor_event_type, c.type,"
            + " c.verification_id from inbox i left join canonical_event c on c.inbox_id = i.id";

    private final DataSource dataSource;
    private final Set<String> vendors;
    private final RefusalLog refusals;

    public DeliveriesInApi(DataSource dataSource, Set<String> vendors, RefusalLog refusals) {
        this.dataSource = dataSource;
        this.vendors = Set.copyOf(vendors);
        this.refusals = refusals;
    }

    public void latest(Exchange exchange) throws SQLException {
        QueryParameters query = QueryParameters.of(exchange);
        String vendor = query.vendor(vendors);
        int limit = query.number("limit", 50, 1, 500);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(LATEST + (vendor == null ? "" : " where i.vendor = ?")
                     + " order by i.id desc fetch first " + limit + " rows only")) {
            if (vendor != null) {
                s.setString(1, vendor);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("vendor", rs.getString("vendor"));
                    row.put("receivedAt", OperatorApi.plain(rs.getObject("received_at")));
                    String type = rs.getString("type");
                    row.put("outcome", type == null ? "parked" : "UNKNOWN".equals(type) ? "unknown" : "mapped");
                    row.put("vendorEventType", rs.getString("vendor_event_type"));
                    row.put("type", type);
                    row.put("verificationId", rs.getString("verification_id"));
                    rows.add(row);
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveries", rows);
        body.put("limit", limit);
        Responses.json(exchange, 200, body);
    }

    public void refused(Exchange exchange) {
        int limit = QueryParameters.of(exchange).number("limit", 50, 1, 500);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RefusalLog.Refusal r : refusals.latest(limit)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("at", r.at().toString());
            row.put("vendor", r.vendor());
            row.put("reason", r.reason());
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("refusals", rows);
        body.put("countedSince", refusals.since().toString());
        Responses.json(exchange, 200, body);
    }
}
