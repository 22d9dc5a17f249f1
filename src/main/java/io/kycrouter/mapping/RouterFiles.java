package io.kycrouter.mapping;

import io.kycrouter.KycWebhookRouter;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorFolders;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the tools of the jar (map, send) find what the router reads at start-up, found as the router finds them:
 * config/application.properties (KYC_CONFIG) and the environment, each vendor folder's vendor.properties (as
 * initial properties, so the configuration file and overrides win) and routes.yaml, and the router's own route
 * files (built in, or replaced by a file of the same name in the routes folder).
 */
public final class RouterFiles {

    private final VendorFolders vendors;
    private final Path routesDir;
    private final CamelContext context;
    private final Map<String, String> overrides;

    private RouterFiles(VendorFolders vendors, Path routesDir, CamelContext context, Map<String, String> overrides) {
        this.vendors = vendors;
        this.routesDir = routesDir;
        this.context = context;
        this.overrides = Map.copyOf(overrides);
    }

    /** The router's properties on a context, overrides winning (tests); returns where its vendors and routes are. */
    public static RouterFiles configure(CamelContext context, Map<String, String> overrides) {
        context.getPropertiesComponent().setLocation(KycWebhookRouter.configLocation());
        Properties override = new Properties();
        override.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(override);
        Settings kyc = new Settings("kyc.", key -> context.getPropertiesComponent().resolveProperty(key));
        VendorFolders vendors = VendorFolders.scan(Path.of(kyc.get("vendors.dir", "vendors")))
                .without(kyc.list("vendors.disabled"));
        for (String name : vendors.names()) {
            vendors.properties(name).forEach(context.getPropertiesComponent()::addInitialProperty);
        }
        return new RouterFiles(vendors, Path.of(kyc.get("routes.dir", "routes")), context, overrides);
    }

    /**
     * A setting as written, placeholders unresolved ({@code {{env:KYC_SUMSUB_SECRET:}}}): from the overrides, else the
     * configuration file, else the vendor's vendor.properties; empty when none sets it.
     */
    public String raw(String key) {
        if (overrides.containsKey(key)) {
            return overrides.get(key);
        }
        String fromFile = context.getPropertiesComponent().loadProperties().getProperty(key);
        if (fromFile != null) {
            return fromFile;
        }
        String prefix = "kyc.vendor.";
        for (String vendor : vendors.names()) {
            String value = vendors.properties(vendor).get(key);
            if (key.startsWith(prefix + vendor + ".") && value != null) {
                return value;
            }
        }
        return "";
    }

    public List<String> vendorNames() {
        return vendors.names();
    }

    /** The folder of a vendor (its examples are under it). */
    public Path folder(String vendor) {
        return vendors.folder(vendor);
    }

    /** Each vendor's mapping routes (vendors/<v>/routes.yaml). */
    List<Resource> vendorRoutes(CamelContext context) {
        return vendors.names().stream()
                .map(name -> PluginHelper.getResourceLoader(context).resolveResource("file:" + vendors.routes(name)))
                .toList();
    }

    /** One of the router's own route files: the routes folder's file of that name, else the built-in one. */
    Resource routerRoutes(CamelContext context, String name) {
        Path own = routesDir.resolve(name);
        String location = Files.isRegularFile(own) ? "file:" + own : "classpath:router/" + name;
        Resource resource = PluginHelper.getResourceLoader(context).resolveResource(location);
        if (resource == null || !resource.exists()) {
            throw new IllegalStateException("the router's route file " + location + " is missing");
        }
        return resource;
    }
}
