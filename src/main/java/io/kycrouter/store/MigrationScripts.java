package io.kycrouter.store;

import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flyway's migration scripts, from {@code db/migrations.list} rather than from Flyway's scan of the class path, which
 * walks every entry of the jar for each location. The resources are the ones the scan would have made (same class,
 * same location, same relative path), so what the schema history recorded still matches. There are no Java
 * migrations.
 */
final class MigrationScripts implements ResourceProvider, ClassProvider<JavaMigration> {

    static final String INDEX = "db/migrations.list";

    private final List<LoadableResource> resources = new ArrayList<>();
    private final Map<String, LoadableResource> byRelativePath = new HashMap<>();

    /** The listed scripts under the given folders (for example {@code db/migration}, {@code db/vendor/h2}). */
    MigrationScripts(ClassLoader loader, List<String> folders) {
        List<String> listed = ResourceIndex.read(loader, INDEX);
        for (String folder : folders) {
            Location location = new Location("classpath:" + folder);
            for (String path : listed) {
                if (path.startsWith(folder + "/") && path.indexOf('/', folder.length() + 1) < 0) {
                    if (loader.getResource(path) == null) {
                        throw new IllegalStateException(INDEX + " lists " + path + ", which is not on the class path: a broken build");
                    }
                    LoadableResource resource = new ClassPathResource(location, path, loader, StandardCharsets.UTF_8);
                    resources.add(resource);
                    byRelativePath.put(resource.getRelativePath().toLowerCase(Locale.ROOT), resource);
                }
            }
        }
    }

    @Override
    public LoadableResource getResource(String name) {
        return byRelativePath.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> matching = new ArrayList<>();
        for (LoadableResource resource : resources) {
            String name = resource.getFilename();
            if (name.startsWith(prefix) && endsWithAny(name, suffixes)) {
                matching.add(resource);
            }
        }
        return matching;
    }

    private static boolean endsWithAny(String name, String[] suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Collection<Class<? extends JavaMigration>> getClasses() {
        return List.of();
    }
}
