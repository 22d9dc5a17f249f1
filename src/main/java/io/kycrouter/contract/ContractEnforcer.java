package io.kycrouter.contract;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds every route file to the {@link RouteContract} as Camel loads it, before its routes are added: at start-up
 * (the start fails) and on a reload in dev mode (the reload is refused and the routes already running keep serving,
 * since Camel removes the old routes of a file only after its new ones were configured). Found by Camel in the
 * registry; the routes called across files are checked again once all are loaded ({@code StartupChecks}).
 */
public final class ContractEnforcer implements RouteBuilderLifecycleStrategy {

    @Override
    public void afterConfigure(RouteBuilder builder) {
        List<RouteDefinition> loaded = builder.getRouteCollection().getRoutes();
        if (loaded.isEmpty()) {
            return;
        }
        // the file's routes replace those of the same id: a vendor route calling a route of another file is followed
        Map<Object, RouteDefinition> all = new LinkedHashMap<>();
        Model model = builder.getContext().getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition route : model.getRouteDefinitions()) {
            all.put(key(route), route);
        }
        for (RouteDefinition route : loaded) {
            all.put(key(route), route);
        }
        List<RouteDefinition> mapping = RouteContract.vendorRoutes(all.values());
        List<RouteDefinition> mine = loaded.stream().filter(r -> mapping.stream().anyMatch(m -> m == r)).toList();
        List<Problem> problems = RouteContract.check(mine);
        if (!problems.isEmpty()) {
            throw new ContractViolation(problems);
        }
    }

    private static Object key(RouteDefinition route) {
        return route.getRouteId() != null ? route.getRouteId() : new Object(); // no id yet: its own entry
    }
}
