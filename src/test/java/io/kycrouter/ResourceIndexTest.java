package io.kycrouter;

import io.kycrouter.store.ResourceIndex;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lists the router reads instead of scanning its jar (docs/DECISIONS.md, decision 82) name exactly the files
 * beside them: a migration or a built-in route file added without its line would be silently left out.
 */
class ResourceIndexTest {

    static final Path RESOURCES = Path.of("src", "main", "resources");

    @Test
    void theMigrationListNamesEveryScriptUnderDb() throws Exception {
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("db"))) {
            onDisk = files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".sql"))
                    .map(p -> RESOURCES.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        assertThat(ResourceIndex.read(getClass().getClassLoader(), "db/migrations.list"))
                .as("src/main/resources/db/migrations.list must list every migration script under db/, one per line")
                .containsExactlyInAnyOrderElementsOf(onDisk);
    }

    @Test
    void theRouteFileListNamesEveryBuiltInRouteFile() throws Exception {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(RESOURCES.resolve("router"))) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertThat(ResourceIndex.read(getClass().getClassLoader(), RouteFiles.INDEX))
                .as("src/main/resources/" + RouteFiles.INDEX + " must list every *.yaml file of router/, one per line")
                .containsExactlyInAnyOrderElementsOf(onDisk);
    }
}
