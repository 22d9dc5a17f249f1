package io.kycrouter.support;

import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The router as a separate operating-system process (its own JVM), started with environment variables the way
 * an operator starts it, so several instances can share one database for real and one can be killed.
 */
public final class RouterProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private RouterProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts an instance with the given environment (KYC_DB_URL, secrets, KYC_CONFIG ...) and waits until it is ready. */
    public static RouterProcess start(String name, Map<String, String> env, Path dir) throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        int managementPort = AvailablePortFinder.getNextAvailable();
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.kycrouter.KycWebhookRouter")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("KYC_HTTP_PORT", String.valueOf(port));
        pb.environment().put("KYC_MANAGEMENT_PORT", String.valueOf(managementPort));
        RouterProcess router = new RouterProcess(pb.start(), port, managementPort, log);
        try {
            // until the readiness probe answers 200; a refused connection is "still starting", an exit is a failure
            await(name + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!router.process.isAlive()) {
                            throw new IllegalStateException(name + " exited: " + Files.readString(log));
                        }
                        return HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready")).GET().build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    });
            return router;
        } catch (ConditionTimeoutException e) {
            router.kill();
            throw new IllegalStateException(name + " did not become ready: " + Files.readString(log));
        }
    }

    public int port() {
        return port;
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The HTTP status of the readiness check (200 ready, 503 not). */
    public int readiness() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A GET of the operator API with a bearer token. */
    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The instance id its outbox dispatcher claims rows with (from its log). */
    public String outboxInstance() throws IOException {
        Matcher m = Pattern.compile("outbox dispatcher instance ([0-9a-f-]{36})").matcher(Files.readString(log));
        return m.find() ? m.group(1) : null;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** kill -9: no shutdown hook, no release of claims. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the router's graceful shutdown. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }

}
