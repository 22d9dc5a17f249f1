package io.kycrouter;

import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;

/** Checks made once the routes are loaded: every configured vendor has its route. */
final class StartupChecks implements StartupListener {

    private final VendorRegistry vendors;

    StartupChecks(VendorRegistry vendors) {
        this.vendors = vendors;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (String name : vendors.names()) {
            VendorDefinition vendor = vendors.find(name).orElseThrow();
            boolean found = model.getRouteDefinitions().stream()
                    .anyMatch(r -> r.getInput() != null && vendor.routeUri().equals(r.getInput().getEndpointUri()));
            if (!found) {
                throw new ConfigException("vendor " + name + " is listed in kyc.vendors but no route consumes "
                        + vendor.routeUri() + ": add routes/" + name + ".yaml (see README, 'Adding a vendor')");
            }
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // everything is checked before the routes start
    }
}
