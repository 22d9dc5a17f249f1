package io.kycrouter.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.canonical.UserReferences;
import io.kycrouter.ingress.Responses;
import io.kycrouter.store.StatusHistory;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's verification queries (router/api.yaml): {@code GET /api/verifications?externalUserId=...}, the
 * verifications of a client's user (the reference as typed, or as the router stores it for each vendor: hashed
 * where that vendor's external-user-id setting is hash), and {@code GET /api/verifications/{vendor}/{id}/timeline},
 * the current state with every canonical event, each marked with whether it moved the status (an event with a status
 * that did not arrived out of order), replayed as the state is computed ({@link StatusHistory}); an event a remap
 * superseded is listed with {@code supersededBy} and {@code supersededAt}, and neither moved nor out of order.
 */
public final class VerificationsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE = "select status, is_final, external_user_id, status_at, status_event_id, first_event_at,"
            + " last_event_at, event_count, updated_at from verification_state where vendor = ? and verification_id = ?";

    private final DataSource dataSource;
    private final Set<String> vendors;
    private final UserReferences references;

    public VerificationsApi(DataSource dataSource, Set<String> vendors, UserReferences references) {
        this.dataSource = dataSource;
        this.vendors = Set.copyOf(vendors);
        this.references = references;
    }

    public void search(Exchange exchange) throws SQLException {
        QueryParameters query = QueryParameters.of(exchange);
        String user = query.text("externalUserId");
        if (user == null) {
            throw ApiRejected.invalidParameter("externalUserId is required");
        }
        if (user.length() > 256) {
            throw ApiRejected.invalidParameter("externalUserId is at most 256 characters");
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(user);
        vendors.forEach(v -> forms.add(references.of(v, user)));
        String marks = String.join(", ", forms.stream().map(f -> "?").toList());
        List<Map<String, Object>> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select vendor, verification_id, status, is_final, last_event_at, event_count"
                     + " from verification_state where external_user_id in (" + marks + ") order by last_event_at desc")) {
            int i = 1;
            for (String form : forms) {
                s.setString(i++, form);
            }
            s.setMaxRows(100);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("vendor", rs.getString("vendor"));
                    row.put("verificationId", rs.getString("verification_id"));
                    row.put("status", rs.getString("status"));
                    row.put("final", rs.getBoolean("is_final"));
                    row.put("lastEventAt", OperatorApi.plain(rs.getObject("last_event_at")));
                    row.put("eventCount", rs.getLong("event_count"));
                    found.add(row);
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("verifications", found);
        Responses.json(exchange, 200, body);
    }

    @SuppressWarnings("unchecked")
    public void timeline(Exchange exchange) throws Exception {
        String vendor = exchange.getMessage().getHeader("vendor", String.class);
        String id = exchange.getMessage().getHeader("verificationId", String.class);
        Map<String, Object> state = new LinkedHashMap<>();
        List<Map<String, Object>> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(STATE)) {
                s.setString(1, vendor);
                s.setString(2, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiRejected.notFound("no verification " + id + " from vendor " + vendor);
                    }
                    state.put("vendor", vendor);
                    state.put("verificationId", id);
                    state.put("status", rs.getString("status"));
                    state.put("final", rs.getBoolean("is_final"));
                    state.put("externalUserId", rs.getString("external_user_id"));
                    state.put("statusAt", OperatorApi.plain(rs.getObject("status_at")));
                    state.put("statusEventId", rs.getString("status_event_id"));
                    state.put("firstEventAt", OperatorApi.plain(rs.getObject("first_event_at")));
                    state.put("lastEventAt", OperatorApi.plain(rs.getObject("last_event_at")));
                    state.put("eventCount", rs.getLong("event_count"));
                    state.put("updatedAt", OperatorApi.plain(rs.getObject("updated_at")));
                }
            }
            // current events replayed in the order the state is computed from them; superseded ones listed, unreplayed
            for (StatusHistory.Entry entry : StatusHistory.of(c, vendor, id)) {
                Map<String, Object> event = JSON.readValue(entry.payload(), LinkedHashMap.class);
                event.put("seq", entry.seq());
                event.put("movedStatus", entry.movedStatus());
                event.put("outOfOrder", entry.outOfOrder());
                if (entry.supersededBy() != null) { // as GET .../events marks them
                    event.put("supersededBy", entry.supersededBy());
                    event.put("supersededAt", OperatorApi.plain(entry.supersededAt()));
                }
                events.add(event);
            }
        }
        // shown in the vendor's order of events (as /events lists them), ties in stored order
        events.sort(Comparator.comparing((Map<String, Object> e) -> String.valueOf(e.get("occurredAt")), VerificationsApi::byTime)
                .thenComparing(e -> (Long) e.get("seq")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        body.put("events", events);
        Responses.json(exchange, 200, body);
    }

    private static Instant instant(Object text) {
        try {
            return text == null ? null : Instant.parse(text.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int byTime(String a, String b) {
        Instant x = instant(a);
        Instant y = instant(b);
        if (x == null || y == null) {
            return x == y ? 0 : x == null ? -1 : 1;
        }
        return x.compareTo(y);
    }
}
