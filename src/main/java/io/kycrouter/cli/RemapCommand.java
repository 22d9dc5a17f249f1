package io.kycrouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar kyc-webhook-router.jar remap <vendor> [--event-type T] [--since ISO] [--all] [--id N]
 * [--url http://localhost:8080]}: asks the running router to map stored deliveries again (its operator API, README
 * "Map again after a fix"). The router holds the database (an embedded H2 file is locked by it) and the current routes,
 * so the command is a client of its API. A batch is fetched page after page; the pages' answers are printed as one.
 * Exit 0 when the router answered 200, 1 on an error answer (or no answer), 2 on a usage error.
 */
public final class RemapCommand implements Command {

    static final String USAGE_LINE = "usage: remap <vendor> [--event-type T] [--since ISO-INSTANT] [--all] [--id N]"
            + " [--url http://localhost:8080]";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COUNTS = {"remapped", "unchanged", "parked", "failed", "purged"};

    private final Map<String, String> env;
    private PrintStream out;
    private PrintStream err;

    /** @param env the environment (KYC_OPERATOR_TOKEN, KYC_CONFIG, KYC_HTTP_PORT) */
    public RemapCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return execute(args.toArray(String[]::new));
    }

    /** A usage error: exit 2 with its one-line message. */
    private static final class Usage extends Exception {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    private int execute(String[] args) {
        try {
            return call(Arguments.parse(args));
        } catch (Usage e) {
            err.println("remap: " + e.getMessage() + "; " + USAGE_LINE); // one line: scripts read it whole
            return USAGE;
        }
    }

    /** The command line, checked. */
    private record Arguments(String vendor, String eventType, String since, boolean all, Long id, String url) {

        static Arguments parse(String[] args) throws Usage {
            String vendor = null;
            String eventType = null;
            String since = null;
            boolean all = false;
            Long id = null;
            String url = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--event-type" -> eventType = value(args, ++i, arg);
                    case "--since" -> since = value(args, ++i, arg);
                    case "--all" -> all = true;
                    case "--id" -> id = number(value(args, ++i, arg));
                    case "--url" -> url = value(args, ++i, arg);
                    default -> {
                        if (arg.startsWith("-") || vendor != null) {
                            throw new Usage("unexpected argument '" + arg + "'");
                        }
                        vendor = arg;
                    }
                }
            }
            if (vendor == null) {
                throw new Usage("the vendor is required");
            }
            if (since != null) {
                try {
                    Instant.parse(since);
                } catch (DateTimeParseException e) {
                    throw new Usage("--since must be an ISO-8601 instant, e.g. 2026-11-23T00:00:00Z");
                }
            }
            if (id != null && (eventType != null || since != null || all)) {
                throw new Usage("--id maps one delivery: it does not go with --event-type, --since or --all");
            }
            if (id == null && eventType == null && since == null && !all) {
                throw new Usage("give --event-type and/or --since, or --all to map every delivery of " + vendor + " again");
            }
            return new Arguments(vendor, eventType, since, all, id, url);
        }

        private static String value(String[] args, int i, String option) throws Usage {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new Usage(option + " needs a value");
            }
            return args[i];
        }

        private static Long number(String text) throws Usage {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new Usage("--id must be a number (an inbox id, as GET /api/inbox/parked lists them)");
            }
        }
    }

    private int call(Arguments a) throws Usage {
        String token = token();
        String base = (a.url() != null ? a.url() : "http://localhost:" + env.getOrDefault("KYC_HTTP_PORT", "8080"))
                .replaceAll("/+$", "");
        try {
            URI.create(base).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new Usage("--url must be the router's base URL, e.g. http://localhost:8080");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        if (a.id() != null) {
            JsonNode answer = post(http, base + "/api/inbox/" + a.id() + "/remap?vendor=" + encode(a.vendor()), token);
            if (answer == null) {
                return PROBLEMS;
            }
            print(answer);
            return OK;
        }
        StringBuilder query = new StringBuilder("/api/inbox/remap?vendor=").append(encode(a.vendor()));
        if (a.eventType() != null) {
            query.append("&eventType=").append(encode(a.eventType()));
        }
        if (a.since() != null) {
            query.append("&since=").append(encode(a.since()));
        }
        if (a.all()) {
            query.append("&all=true");
        }
        ObjectNode total = JSON.createObjectNode();
        for (String count : COUNTS) {
            total.put(count, 0);
        }
        ArrayNode results = total.putArray("results");
        long afterId = 0;
        while (true) {
            JsonNode page = post(http, base + query + "&afterId=" + afterId, token);
            if (page == null) {
                print(total); // what the pages before did stands: printed, so the operator knows
                return PROBLEMS;
            }
            for (String count : COUNTS) {
                total.put(count, total.get(count).asInt() + page.path(count).asInt());
            }
            page.path("results").forEach(results::add);
            if (!page.path("more").asBoolean()) {
                break;
            }
            afterId = page.path("nextAfterId").asLong();
        }
        print(total);
        return OK;
    }

    /** The answer of a 200, or null after printing the error answer's one line. */
    private JsonNode post(HttpClient http, String url, String token) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            if (response.statusCode() != 200) {
                err.println("remap: the router answered " + response.statusCode() + " " + body.path("error").asText("")
                        + ": " + body.path("message").asText(response.body()));
                return null;
            }
            return body;
        } catch (IOException e) {
            err.println("remap: no answer from " + url.substring(0, url.indexOf("/api/")) + " (" + e.getMessage() + ")");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("remap: interrupted");
            return null;
        }
    }

    /** KYC_OPERATOR_TOKEN, or a token written in the configuration file itself. */
    private String token() throws Usage {
        String token = env.get("KYC_OPERATOR_TOKEN");
        if (token == null || token.isBlank()) {
            Path config = Path.of(env.getOrDefault("KYC_CONFIG", "config/application.properties"));
            if (Files.isReadable(config)) {
                Properties properties = new Properties();
                try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                    properties.load(in);
                } catch (IOException e) {
                    throw new Usage("the configuration " + config + " could not be read: " + e.getMessage());
                }
                String configured = properties.getProperty("kyc.api.operator-token", "").trim();
                token = configured.contains("{{") ? null : configured; // a placeholder names the environment variable
            }
        }
        if (token == null || token.isBlank()) {
            throw new Usage("no operator token: set KYC_OPERATOR_TOKEN to the router's");
        }
        return token.trim();
    }

    private void print(JsonNode answer) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } catch (IOException e) {
            out.println(answer);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
