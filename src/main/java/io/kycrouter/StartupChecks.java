package io.kycrouter;

import io.kycrouter.contract.ContractViolation;
import io.kycrouter.contract.Problem;
import io.kycrouter.contract.RouteContract;
import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorFolders;
import io.kycrouter.vendors.VendorRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;

import java.util.List;

/** Checks made once the routes are loaded: every vendor's routes.yaml has the vendor's route, every mapping route keeps the contract. */
final class StartupChecks implements StartupListener {

    private final VendorRegistry vendors;
    private final VendorFolders folders;

    StartupChecks(VendorRegistry vendors, VendorFolders folders) {
        this.vendors = vendors;
        this.folders = folders;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (String name : vendors.names()) {
            VendorDefinition vendor = vendors.find(name).orElseThrow();
            boolean found = model.getRouteDefinitions().stream()
                    .anyMatch(r -> r.getInput() != null && vendor.routeUri().equals(r.getInput().getEndpointUri()));
            if (!found) {
                throw new ConfigException("vendor " + name + ": no route consumes " + vendor.routeUri() + ": "
                        + folders.routes(name) + " must hold a route from " + vendor.routeUri() + " (see README, 'Adding a vendor')");
            }
        }
        // each file was checked as it was loaded; a vendor route calling a route of another file is checked here
        List<Problem> problems = RouteContract.check(RouteContract.vendorRoutes(model.getRouteDefinitions()));
        if (!problems.isEmpty()) {
            throw new ContractViolation(problems);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // everything is checked before the routes start
    }
}
