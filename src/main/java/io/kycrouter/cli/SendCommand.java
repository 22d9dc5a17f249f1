package io.kycrouter.cli;

import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.mapping.RouterFiles;
import io.kycrouter.security.OutgoingWebhook;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import io.kycrouter.vendors.WebhookSigner;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code send <vendor> <payload.json> [--url URL] [--scheme NAME]}: signs a payload as the vendor would, with the
 * credential the router is configured with (configuration file, environment), posts it and prints the answer.
 */
public final class SendCommand {

    static final String USAGE = "usage: send <vendor> <payload.json> [--url URL] [--scheme NAME]";

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");

    private SendCommand() {
    }

    /** Exit code: 0 the router answered 2xx, 1 it answered something else or could not be reached, 2 usage error. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> overrides) {
        List<String> positional = new ArrayList<>();
        String url = null;
        String scheme = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--url") || arg.equals("--scheme")) && i + 1 < args.size()) {
                if (arg.equals("--url")) {
                    url = args.get(++i);
                } else {
                    scheme = args.get(++i);
                }
            } else if (arg.startsWith("--")) {
                err.println(USAGE);
                return 2;
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != 2) {
            err.println(USAGE);
            return 2;
        }
        DefaultCamelContext context = new DefaultCamelContext(false);
        try {
            RouterFiles files = RouterFiles.configure(context, overrides);
            context.build(); // type converters ready
            Settings kyc = new Settings("kyc.", key -> context.getPropertiesComponent().resolveProperty(key));
            VendorRegistry vendors = VendorRegistry.quietLoad(kyc, files.vendorNames());
            String name = positional.get(0);
            VendorDefinition vendor = vendors.find(name).orElseThrow(() -> new UsageError("unknown vendor '" + name
                    + "'; known vendors: " + String.join(", ", vendors.names().stream().sorted().toList())));
            byte[] payload = Payloads.read(Path.of(positional.get(1)));
            JsonBodies json = new JsonBodies((int) kyc.number("ingress.max-json-depth", 500));
            json.parseObject(payload); // not JSON: said here, not by a 400 from the router
            OutgoingWebhook webhook;
            try {
                webhook = WebhookSigner.sign(vendor, kyc, scheme, payload, json, Instant.now());
            } catch (WebhookSigner.MissingCredential e) {
                err.println("send: " + vendor.name() + ": " + e.getMessage() + environment(files, e.keys()));
                return 2;
            }
            URI target = URI.create(url != null ? url : "http://localhost:"
                    + context.getPropertiesComponent().resolveProperty("camel.server.port").orElse("8080")
                    + "/webhooks/" + vendor.name());
            return post(withCredentials(target, webhook), target, webhook, out, err);
        } catch (UsageError | IllegalArgumentException e) {
            err.println("send: " + e.getMessage());
            return 2;
        } catch (DeliveryRejected e) {
            err.println("send: " + positional.get(1) + " is not a JSON object: " + e.getMessage());
            return 2;
        } finally {
            context.stop();
        }
    }

    /** " (set KYC_SUMSUB_SECRET)": the environment variables the configuration reads those keys from. */
    private static String environment(RouterFiles files, List<String> keys) {
        List<String> variables = new ArrayList<>();
        for (String key : keys) {
            Matcher m = ENV.matcher(files.raw(key));
            while (m.find()) {
                variables.add(m.group(1));
            }
        }
        return variables.isEmpty() ? "" : " (set " + String.join(", ", variables) + ")";
    }

    private static URI withCredentials(URI target, OutgoingWebhook webhook) {
        String uri = target.toString();
        if (webhook.pathSegment() != null) {
            uri = uri.replaceAll("/+$", "") + "/" + URLEncoder.encode(webhook.pathSegment(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> q : webhook.queryParameters().entrySet()) {
            uri += (uri.contains("?") ? "&" : "?") + URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8);
        }
        return URI.create(uri);
    }

    /** @param shown the address as given, without the credential a token scheme may add to its path or query */
    private static int post(URI target, URI shown, OutgoingWebhook webhook, PrintStream out, PrintStream err) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body()));
        if (webhook.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        webhook.headers().forEach(request::header);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("send: cannot reach " + shown
                    + ": " + (e instanceof java.net.ConnectException ? "connection refused (is the router running?)"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.println("HTTP " + response.statusCode());
        out.println(response.body());
        out.flush();
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }
}
