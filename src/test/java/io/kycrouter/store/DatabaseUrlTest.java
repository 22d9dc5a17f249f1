package io.kycrouter.store;

import io.kycrouter.vendors.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every H2 database that lives in a file has each delivery in its file before the vendor hears 200: at each commit
 * (WRITE_DELAY=0), or, for the embedded file with the delivery journal, in the journal beside it until the next
 * checkpoint (WRITE_DELAY = the checkpoint period).
 */
class DatabaseUrlTest {

    @Test
    void everyFileBackedH2UrlGetsWriteDelayZero() {
        assertThat(Database.durable("jdbc:h2:file:./data/kyc;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/kyc;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(Database.durable("jdbc:h2:./data/kyc")).isEqualTo("jdbc:h2:./data/kyc;WRITE_DELAY=0");
        assertThat(Database.durable("jdbc:h2:tcp://db:9092/kyc")).isEqualTo("jdbc:h2:tcp://db:9092/kyc;WRITE_DELAY=0");
    }

    @Test
    void anExplicitWriteDelayAnInMemoryDatabaseAndOtherDatabasesAreLeftAlone() {
        assertThat(Database.durable("jdbc:h2:file:./kyc;write_delay=100")).isEqualTo("jdbc:h2:file:./kyc;write_delay=100");
        assertThat(Database.durable("jdbc:h2:mem:kyc")).isEqualTo("jdbc:h2:mem:kyc");
        assertThat(Database.durable("jdbc:postgresql://db:5432/kyc")).isEqualTo("jdbc:postgresql://db:5432/kyc");
    }

    @Test
    void aFileBackedH2DatabaseCachesMoreStatementsFewerPagesAndCompressesThemUnlessTheUrlSaysOtherwise() {
        assertThat(Database.tuned("jdbc:h2:file:./data/kyc;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:./data/kyc;WRITE_DELAY=0;QUERY_CACHE_SIZE=64;COMPRESS=TRUE;CACHE_SIZE=4096");
        assertThat(Database.tuned("jdbc:h2:file:./kyc;compress=false")).isEqualTo("jdbc:h2:file:./kyc;compress=false;QUERY_CACHE_SIZE=64;CACHE_SIZE=4096");
        // QUERY_CACHE_SIZE is not CACHE_SIZE: a URL that sets only the first still gets the page cache default
        assertThat(Database.tuned("jdbc:h2:file:./kyc;QUERY_CACHE_SIZE=16;cache_size=65536;COMPRESS=TRUE"))
                .isEqualTo("jdbc:h2:file:./kyc;QUERY_CACHE_SIZE=16;cache_size=65536;COMPRESS=TRUE");
        assertThat(Database.tuned("jdbc:h2:file:./kyc;QUERY_CACHE_SIZE=16;COMPRESS=TRUE"))
                .isEqualTo("jdbc:h2:file:./kyc;QUERY_CACHE_SIZE=16;COMPRESS=TRUE;CACHE_SIZE=4096");
        assertThat(Database.tuned("jdbc:h2:mem:kyc")).isEqualTo("jdbc:h2:mem:kyc");
        assertThat(Database.tuned("jdbc:postgresql://db:5432/kyc")).isEqualTo("jdbc:postgresql://db:5432/kyc");
    }

    @Test
    void anEmbeddedH2FileHasItsJournalBesideItUnlessTheUrlOrTheSettingSaysOtherwise() {
        Path here = Path.of("").toAbsolutePath();
        assertThat(Database.journalDirectory(db("jdbc:h2:file:./data/kyc;DB_CLOSE_ON_EXIT=FALSE", null)))
                .contains(here.resolve("data/kyc.journal"));
        assertThat(Database.journalDirectory(db("jdbc:h2:/var/lib/kyc/kyc", null))).contains(Path.of("/var/lib/kyc/kyc.journal"));
        assertThat(Database.journalDirectory(db("jdbc:h2:~/kyc", null)))
                .contains(Path.of(System.getProperty("user.home"), "kyc.journal"));
        assertThat(Database.journalDirectory(db("jdbc:h2:file:./data/kyc", "false"))).isEmpty();
        assertThat(Database.journalDirectory(db("jdbc:h2:file:./data/kyc;WRITE_DELAY=0", null))).isEmpty();
        assertThat(Database.journalDirectory(db("jdbc:h2:mem:kyc", null))).isEmpty();
        assertThat(Database.journalDirectory(db("jdbc:h2:tcp://db:9092/kyc", null))).isEmpty();
        assertThat(Database.journalDirectory(db("jdbc:postgresql://db:5432/kyc", null))).isEmpty();
        assertThat(Database.journaled("jdbc:h2:file:./data/kyc", 1000)).isEqualTo("jdbc:h2:file:./data/kyc;WRITE_DELAY=1000");
    }

    private static Settings db(String url, String journalEnabled) {
        Map<String, String> values = new HashMap<>();
        values.put("kyc.db.url", url);
        if (journalEnabled != null) {
            values.put("kyc.db.journal.enabled", journalEnabled);
        }
        return new Settings("kyc.db.", key -> Optional.ofNullable(values.get(key)));
    }
}
