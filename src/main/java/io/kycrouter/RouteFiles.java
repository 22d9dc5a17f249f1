package io.kycrouter;

import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.VendorFolders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The YAML route files the router loads, as Camel Main's routes include pattern: the router's own routes
 * ({@code router/*.yaml}, shipped in the jar), each replaced by a file of the same name in the routes folder when
 * there is one, any other file of that folder, and every vendor folder's routes.yaml.
 */
final class RouteFiles {

    static final String BUILT_IN = "router/";
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
     * The names of the built-in route files: the {@code router/*.yaml} entries of the jar (or of the classes folder
     * when run from a build). Read from the jar's central directory, not with a classpath scan, which would read the
     * whole jar at every start (docs/DECISIONS.md, decision 24).
     */
    static Set<String> builtIn() {
        Path source = codeSource();
        Set<String> names = new TreeSet<>();
        try {
            if (Files.isDirectory(source)) {
                Path dir = source.resolve(BUILT_IN);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(names::add);
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(source.toFile())) {
                    for (ZipEntry entry : Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (name.startsWith(BUILT_IN) && name.endsWith(".yaml") && name.indexOf('/', BUILT_IN.length()) < 0) {
                            names.add(name.substring(BUILT_IN.length()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot list the router's built-in routes in " + source + ": " + e.getMessage());
        }
        if (names.isEmpty()) {
            throw new ConfigException("no built-in route files (" + BUILT_IN + "*.yaml) in " + source + ": a broken build");
        }
        return names;
    }

    private static Path codeSource() {
        CodeSource source = RouteFiles.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new ConfigException("cannot tell where the router's classes were loaded from, to find its " + BUILT_IN + "*.yaml");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigException("cannot read the router's built-in routes from " + source.getLocation() + ": " + e.getMessage());
        }
    }
}
