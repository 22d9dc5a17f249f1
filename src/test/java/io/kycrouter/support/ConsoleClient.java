package io.kycrouter.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A browser-like HTTP client of the console: signs in as the sign-in page's script does, keeps the session
 * cookie it was given, and sends it (with any other header the test names) like a browser on the console's origin.
 */
public final class ConsoleClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private final RunningRouter router;
    private String cookie;

    public ConsoleClient(RunningRouter router) {
        this.router = router;
    }

    public String origin() {
        return "http://127.0.0.1:" + router.port();
    }

    /** POST /console/sign-in with the token in a JSON body, from the console's origin; keeps the cookie given. */
    public HttpResponse<String> signIn(String token) throws IOException, InterruptedException {
        HttpResponse<String> answer = send("POST", "/console/sign-in", RunningRouter.JSON.writeValueAsString(Map.of("token", token)),
                Map.of("Content-Type", "application/json", "Origin", origin()));
        answer.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return answer;
    }

    /** The cookie pair ({@code name=value}) the router gave, or null. */
    public String cookie() {
        return cookie;
    }

    public void cookie(String pair) {
        cookie = pair;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, Map.of());
    }

    public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (cookie != null) {
            all.putIfAbsent("Cookie", cookie);
        }
        all.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The session's CSRF token, as the console's page reads it. */
    public String csrfToken() throws IOException, InterruptedException {
        return RunningRouter.json(get("/console/session")).get("csrfToken").asText();
    }
}
