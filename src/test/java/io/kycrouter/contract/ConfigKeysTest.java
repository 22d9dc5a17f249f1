package io.kycrouter.contract;

import io.kycrouter.canonical.UserReferences;
import io.kycrouter.notify.Targets;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorFolders;
import io.kycrouter.vendors.VendorRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry of known keys lists every key the code reads for vendors, schemes and targets: the repository's
 * vendor folders and a target of each type are loaded through a lookup that records each key read.
 */
class ConfigKeysTest {

    @Test
    void everyKeyTheCodeReadsIsKnown() {
        VendorFolders folders = VendorFolders.scan(Path.of("vendors"));
        Map<String, String> properties = new HashMap<>();
        // every branch taken: credentials set, schemes enabled, decryption on
        folders.names().forEach(name -> folders.properties(name).forEach((key, value) -> {
            String resolved = value.replaceAll("\\{\\{env:[A-Z0-9_]+:([^}]*)}}", "$1");
            properties.put(key, key.endsWith(".enabled") ? "true" : resolved.isBlank() ? "x" : resolved);
        }));
        properties.put("kyc.vendor.argos.decrypt.mode", "gcm");
        properties.put("kyc.notify.targets", "crm, bus, dev");
        properties.put("kyc.notify.target.crm.type", "http");
        properties.put("kyc.notify.target.crm.url", "https://crm.example/events");
        properties.put("kyc.notify.target.crm.secret", "a-plain-secret-of-enough-bytes-here");
        properties.put("kyc.notify.target.crm.headers", "Authorization");
        properties.put("kyc.notify.target.crm.header.Authorization", "Bearer x");
        properties.put("kyc.notify.target.bus.type", "kafka");
        properties.put("kyc.notify.target.bus.topic", "events");
        properties.put("kyc.notify.target.bus.brokers", "localhost:9092");
        properties.put("kyc.notify.target.dev.type", "log");
        Set<String> read = new TreeSet<>();
        Settings kyc = new Settings("kyc.", key -> {
            read.add(key);
            return Optional.ofNullable(properties.get(key));
        });

        VendorRegistry vendors = VendorRegistry.load(kyc, folders.names());
        Targets.load(kyc);
        UserReferences.load(kyc, vendors.names());

        assertThat(read).isNotEmpty();
        assertThat(ConfigKeys.known(kyc, folders.names())).containsAll(read);
    }
}
