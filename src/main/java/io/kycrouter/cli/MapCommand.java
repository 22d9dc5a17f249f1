package io.kycrouter.cli;

import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.mapping.EncryptedPayload;
import io.kycrouter.mapping.ExampleEvents;
import io.kycrouter.mapping.Mapping;
import io.kycrouter.mapping.OfflineMapper;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code map <vendor> <payload.json>}: the vendor's routes run on a payload, offline. The canonical event(s) go to
 * stdout as {@code examples/<name>.expected.json} holds them, the branches taken to stderr.
 */
public final class MapCommand {

    static final String USAGE = "usage: map <vendor> <payload.json>";

    private MapCommand() {
    }

    /** Exit code: 0 mapped, 1 the mapping parks the delivery, 2 usage or input error. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> overrides) {
        if (args.size() != 2) {
            err.println(USAGE);
            return 2;
        }
        String vendor = args.get(0);
        Path file = Path.of(args.get(1));
        try {
            byte[] payload = Payloads.read(file);
            try (OfflineMapper mapper = OfflineMapper.start(overrides)) {
                Mapping mapping = mapper.map(vendor, payload);
                mapping.branches().forEach(b -> err.println("branch: " + b));
                if (mapping.parked()) {
                    err.println("map: " + file + " cannot be mapped (the router would park it): " + mapping.parkedReason());
                    return 1;
                }
                out.print(ExampleEvents.print(ExampleEvents.of(mapping)));
                out.flush();
                return 0;
            }
        } catch (UsageError | IllegalArgumentException | EncryptedPayload e) {
            err.println("map: " + e.getMessage());
            return 2;
        } catch (DeliveryRejected e) {
            err.println("map: " + file + " is refused as the router would refuse it (" + e.status() + " " + e.error()
                    + "): " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("map: " + e.getMessage());
            return 2;
        }
    }
}
