package io.kycrouter.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every H2 database that lives in a file commits to it before the vendor hears 200 (WRITE_DELAY=0). */
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
    void aFileBackedH2DatabaseCachesMoreStatementsAndCompressesItsPagesUnlessTheUrlSaysOtherwise() {
        assertThat(Database.tuned("jdbc:h2:file:./data/kyc;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:./data/kyc;WRITE_DELAY=0;QUERY_CACHE_SIZE=64;COMPRESS=TRUE");
        assertThat(Database.tuned("jdbc:h2:file:./kyc;compress=false")).isEqualTo("jdbc:h2:file:./kyc;compress=false;QUERY_CACHE_SIZE=64");
        assertThat(Database.tuned("jdbc:h2:mem:kyc")).isEqualTo("jdbc:h2:mem:kyc");
        assertThat(Database.tuned("jdbc:postgresql://db:5432/kyc")).isEqualTo("jdbc:postgresql://db:5432/kyc");
    }
}
