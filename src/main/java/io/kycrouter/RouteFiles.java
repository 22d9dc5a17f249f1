package io.kycrouter;

import io.kycrouter.store.ResourceIndex;
import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.VendorFolders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The YAML route files the router loads, as Camel Main's routes include pattern: the router's own routes
 * ({@code router/*.yaml}, shipped in the jar), each replaced by a file of the same name in the routes folder when
 * there is one, any other file of that folder, and every vendor folder's routes.yaml.
 */
final class RouteFiles {

    static final String BUILT_IN = "router/";
    static final String INDEX = BUILT_IN + "route-files.list";
    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private RouteFiles() {
    }

    /**
     * The include pattern: built-in files as {@code classpath:} entries, files of {@code routesDir} and the vendors'
     * routes.yaml as {@code file:} entries. A routes folder that does not exist holds nothing, unless it was named
     * explicitly ({@code required}).
     */
    static String includePattern(Path routesDir, boolean required, VendorFolders vendors) {
        List<String> own = ownFiles(routesDir, required);
        for (String file : own) {
            String stem = file.substring(0, file.length() - ".yaml".length());
            if (vendors.names().contains(stem)) {
                throw new ConfigException(routesDir.resolve(file) + ": a vendor's route lives in its folder, "
                        + vendors.routes(stem) + "; remove or move " + routesDir.resolve(file));
            }
        }
        Set<String> builtIn = builtIn();
        List<String> include = new ArrayList<>();
        for (String file : builtIn) {
            if (own.contains(file)) {
                LOG.warn("route file {} replaces the router's built-in {}{}: it is not updated with the router",
                        routesDir.resolve(file), BUILT_IN, file);
                include.add("file:" + routesDir.resolve(file));
            } else {
                include.add("classpath:" + BUILT_IN + file);
            }
        }
        for (String file : own) {
            if (!builtIn.contains(file)) {
                LOG.info("route file {} added to the router's routes", routesDir.resolve(file));
                include.add("file:" + routesDir.resolve(file));
            }
        }
        for (String vendor : vendors.names()) {
            include.add("file:" + vendors.routes(vendor));
        }
        for (String entry : include) {
            if (entry.contains(",")) {
                throw new ConfigException("route file " + entry + ": a path with a comma cannot be loaded (Camel's include pattern"
                        + " is comma-separated); rename the folder");
            }
        }
        return String.join(",", include);
    }

    /** The names of the *.yaml files in the routes folder. */
    private static List<String> ownFiles(Path routesDir, boolean required) {
        if (!Files.isDirectory(routesDir)) {
            if (required) {
                throw new ConfigException("the routes folder " + routesDir.toAbsolutePath() + " does not exist (KYC_ROUTES_DIR)");
            }
            return List.of();
        }
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot read the routes folder " + routesDir.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    /**
     * The names of the built-in route files, from {@code router/route-files.list}: a scan would walk the whole jar's
     * central directory at every start (docs/DECISIONS.md, decisions 24 and 82).
     */
    static Set<String> builtIn() {
        ClassLoader loader = RouteFiles.class.getClassLoader();
        Set<String> names = new TreeSet<>();
        for (String name : ResourceIndex.read(loader, INDEX)) {
            if (loader.getResource(BUILT_IN + name) == null) {
                throw new ConfigException(INDEX + " lists " + name + ", which is not in the jar: a broken build");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new ConfigException("no built-in route files in " + INDEX + ": a broken build");
        }
        return names;
    }
}
