package io.kycrouter;

import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorFolders;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;

/**
 * Where the vendors and the routes come from, settled once config/application.properties is read and before Camel
 * Main configures the context from it. Each vendor folder's vendor.properties becomes Camel's initial properties,
 * its keys prefixed with {@code kyc.vendor.<folder>.}: the lowest precedence, so {{env:...}} placeholders in them
 * resolve as anywhere, and config/application.properties and override properties (tests) still win. The routes
 * include pattern is built from the router's own routes, the routes folder and the vendors' routes.yaml
 * ({@link RouteFiles}).
 */
final class RouterLayout extends MainListenerSupport {

    /** The registry name of the enabled {@link VendorFolders}, read by {@link RouterConfiguration}. */
    static final String VENDOR_FOLDERS = "kycVendorFolders";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings kyc = new Settings("kyc.", properties::resolveProperty);
        if (kyc.get("vendors").isPresent()) {
            throw new ConfigException(kyc.key("vendors") + " is no longer read: every folder under the vendors folder ("
                    + kyc.key("vendors.dir") + ", KYC_VENDORS_DIR) is a vendor. Remove the line; to turn a vendor off, name it in "
                    + kyc.key("vendors.disabled"));
        }
        VendorFolders vendors = VendorFolders.scan(Path.of(kyc.get("vendors.dir", "vendors")))
                .without(kyc.list("vendors.disabled"));
        for (String name : vendors.names()) {
            vendors.properties(name).forEach(properties::addInitialProperty);
        }
        String routesDir = kyc.get("routes.dir", "routes");
        main.configure().setRoutesIncludePattern(RouteFiles.includePattern(Path.of(routesDir), !routesDir.equals("routes"), vendors));
        context.getRegistry().bind(VENDOR_FOLDERS, vendors);
    }
}
