package io.kycrouter.api;

import io.kycrouter.ingress.Responses;
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
 * {@code GET /api/inbox/parked?vendor=...&limit=100} (router/api.yaml): deliveries that were accepted (200) but have
 * no canonical event yet, oldest first, with the error that keeps them parked. Operators need it because the embedded
 * H2 file cannot be queried while the router holds it. The body (the vendor's payload, with its personal data) is
 * never read.
 */
public final class ParkedDeliveriesApi {

    private static final String SELECT = "select id, vendor, event_key, received_at, attempts, last_error from inbox"
            + " where processed_at is null";

    private final DataSource dataSource;
    private final Set<String> vendors;

    public ParkedDeliveriesApi(DataSource dataSource, Set<String> vendors) {
        this.dataSource = dataSource;
        this.vendors = Set.copyOf(vendors);
    }

    public void list(Exchange exchange) throws SQLException {
        QueryParameters query = QueryParameters.of(exchange);
        String vendor = query.vendor(vendors);
        int limit = query.number("limit", 100, 1, 1000);
        List<Map<String, Object>> parked = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT
                     + (vendor == null ? "" : " and vendor = ?") + " order by received_at, id")) {
            if (vendor != null) {
                select.setString(1, vendor);
            }
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rows.getLong("id"));
                    row.put("vendor", rows.getString("vendor"));
                    row.put("eventKey", rows.getString("event_key"));
                    row.put("receivedAt", OperatorApi.plain(rows.getObject("received_at")));
                    row.put("attempts", rows.getInt("attempts"));
                    row.put("lastError", rows.getString("last_error"));
                    parked.add(row);
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parked", parked);
        body.put("limit", limit);
        Responses.json(exchange, 200, body);
    }
}
