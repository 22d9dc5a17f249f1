package io.kycrouter;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kycrouter.cli.DevCommand;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dev mode: an edited vendor route file is reloaded without a restart; an edit with a mistake is refused with a
 * message naming the file, and the mapping that was running keeps serving.
 */
class DevModeTest {

    private final AtomicInteger submissions = new AtomicInteger();

    /** Posts a new Argos "approved" delivery (its own submission id) and returns the status its event got. */
    private String approvedBecomes(RunningRouter router) throws Exception {
        return approvedEvent(router).get("status").asText();
    }

    private JsonNode approvedEvent(RunningRouter router) throws Exception {
        String body = new String(example("argos/approved.json"), StandardCharsets.UTF_8)
                .replace("ARG-SUB-0001", "ARG-DEV-" + submissions.incrementAndGet());
        HttpResponse<String> response = router.post("/webhooks/argos", body.getBytes(StandardCharsets.UTF_8), Signer.argos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return router.canonicalEventOf(json(response).get("id").asLong());
    }

    @Test
    void anEditedMappingIsReloadedAndABrokenEditKeepsThePreviousOne() throws Exception {
        Path vendors = RunningRouter.vendorsCopy("dev-vendors");
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("dev"));
        settings.put("kyc.vendors.dir", vendors.toString());
        settings.putAll(DevCommand.SETTINGS);

        Logger watcher = (Logger) LoggerFactory.getLogger("org.apache.camel.support.FileWatcherResourceReloadStrategy");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        watcher.addAppender(logged);
        try (RunningRouter router = RunningRouter.start(settings)) {
            assertThat(approvedBecomes(router)).isEqualTo("APPROVED");

            Path argos = vendors.resolve("argos").resolve("routes.yaml");
            String original = Files.readString(argos);
            assertThat(original).contains("constant: APPROVED");
            Files.writeString(argos, original.replace("constant: APPROVED", "constant: REJECTED"));
            await("the edited mapping").atMost(RunningRouter.WAIT).until(() -> approvedBecomes(router).equals("REJECTED"));

            String edited = Files.readString(argos);
            Files.writeString(argos, edited.replace("name: vendorEventType", "name: vendorEventTyp"));
            await("the broken edit reported").atMost(RunningRouter.WAIT).until(() -> messages(logged).stream()
                    .anyMatch(m -> m.contains("argos/routes.yaml") && m.contains("unknown variable 'vendorEventTyp'")));
            JsonNode event = approvedEvent(router);
            assertThat(event.get("status").asText()).as("the previous mapping still serves").isEqualTo("REJECTED");
            assertThat(event.get("vendorEventType").asText()).isEqualTo("approved");
        } finally {
            watcher.detachAppender(logged);
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
