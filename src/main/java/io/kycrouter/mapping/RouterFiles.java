package io.kycrouter.mapping;

import io.kycrouter.KycWebhookRouter;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the tools of the jar (map, send) find what the router reads at start-up: its configuration, the vendors'
 * route files and the router's own route files, resolved the same way as the running router resolves them.
 */
public final class RouterFiles {

    private RouterFiles() {
    }

    /** The router's properties (configuration file, environment) on a context, overrides winning (tests). */
    public static void configure(CamelContext context, Map<String, String> overrides) {
        context.getPropertiesComponent().setLocation(KycWebhookRouter.configLocation());
        Properties override = new Properties();
        override.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(override);
    }

    /** Each vendor's mapping routes; a vendor without its route file is a clear error. */
    static List<Resource> vendorRoutes(CamelContext context, Collection<String> vendors) {
        List<Resource> routes = new ArrayList<>();
        for (String vendor : vendors.stream().sorted().toList()) {
            Path file = routesDir().resolve(vendor + ".yaml");
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("vendor " + vendor + " has no route file " + file);
            }
            routes.add(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
        }
        return routes;
    }

    /** One of the router's own route files (canonical.yaml...). */
    static Resource routerRoutes(CamelContext context, String name) {
        Path file = routesDir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the router's route file " + file + " is missing");
        }
        return PluginHelper.getResourceLoader(context).resolveResource("file:" + file);
    }

    private static Path routesDir() {
        return Path.of(System.getenv().getOrDefault("KYC_ROUTES_DIR", "routes"));
    }
}
