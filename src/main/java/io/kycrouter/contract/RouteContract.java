package io.kycrouter.contract;

import com.jayway.jsonpath.JsonPath;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.MappingVariables;
import org.apache.camel.NamedNode;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.HasExpressionType;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetVariableDefinition;
import org.apache.camel.model.SetVariablesDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contract of vendor mapping routes, checked on the loaded route model (not on YAML text): every route that
 * consumes {@code direct:vendor-<v>}, and every route it calls with a static {@code to: direct:...}, may set only the
 * variables of {@link MappingVariables}; a constant {@code type} or {@code status} must be a canonical constant; every
 * JSONPath must compile. Routes of the router itself are not held to it.
 */
public final class RouteContract {

    public static final String VENDOR_ROUTE_PREFIX = "direct:vendor-";

    private static final Set<String> TYPES = names(CanonicalType.values());
    private static final Set<String> STATUSES = names(CanonicalStatus.values());

    private RouteContract() {
    }

    /** The vendor routes among these and the routes they call. */
    public static List<RouteDefinition> vendorRoutes(Collection<RouteDefinition> routes) {
        Map<String, RouteDefinition> byInput = new LinkedHashMap<>();
        for (RouteDefinition route : routes) {
            if (route.getInput() != null && route.getInput().getEndpointUri() != null) {
                byInput.put(route.getInput().getEndpointUri(), route);
            }
        }
        Set<RouteDefinition> found = Collections.newSetFromMap(new IdentityHashMap<>());
        List<RouteDefinition> ordered = new ArrayList<>();
        Deque<RouteDefinition> todo = new ArrayDeque<>();
        byInput.forEach((uri, route) -> {
            if (uri.startsWith(VENDOR_ROUTE_PREFIX)) {
                todo.add(route);
            }
        });
        while (!todo.isEmpty()) {
            RouteDefinition route = todo.poll();
            if (!found.add(route)) {
                continue;
            }
            ordered.add(route);
            for (Object node : nodes(route)) {
                if (node instanceof ToDefinition to && to.getUri() != null && to.getUri().startsWith("direct:")) {
                    RouteDefinition called = byInput.get(to.getUri());
                    if (called != null) {
                        todo.add(called);
                    }
                }
            }
        }
        return ordered;
    }

    /** The problems of these routes (all of them held to the contract). */
    public static List<Problem> check(Collection<RouteDefinition> mappingRoutes) {
        List<Problem> problems = new ArrayList<>();
        for (RouteDefinition route : mappingRoutes) {
            for (Object node : nodes(route)) {
                check(route, node, problems);
            }
        }
        return problems;
    }

    private static void check(RouteDefinition route, Object node, List<Problem> problems) {
        if (node instanceof SetVariableDefinition set) {
            checkSetVariable(route, set, problems);
        } else if (node instanceof SetVariablesDefinition sets) {
            for (SetVariableDefinition set : sets.getVariables()) {
                checkSetVariable(route, set, problems);
            }
        } else if (node instanceof HasExpressionType expressive) {
            checkJsonPath(route, (NamedNode) node, step(node), expressive.getExpressionType(), problems);
        }
        String received = node instanceof ToDefinition to ? to.getVariableReceive()
                : node instanceof ToDynamicDefinition toD ? toD.getVariableReceive() : null;
        if (received != null) {
            variableName(received).ifPresent(m -> problems.add(problem(route, (NamedNode) node, step(node), m)));
        }
    }

    private static void checkSetVariable(RouteDefinition route, SetVariableDefinition set, List<Problem> problems) {
        String name = set.getName();
        String step = "setVariable " + name;
        variableName(name).ifPresent(m -> problems.add(problem(route, set, step, m)));
        ExpressionDefinition expression = set.getExpressionType();
        if (expression != null && "constant".equals(expression.getLanguage())) {
            String value = expression.getExpression() == null ? "" : expression.getExpression().trim();
            Set<String> allowed = MappingVariables.TYPE.equals(name) ? TYPES
                    : MappingVariables.STATUS.equals(name) ? STATUSES : null;
            if (allowed != null && !allowed.contains(value)) {
                problems.add(problem(route, set, step, "'" + value + "' is not a canonical " + name
                        + Nearest.hint(value, allowed) + "; one of " + String.join(", ", allowed)));
            }
        }
        checkJsonPath(route, set, step, expression, problems);
    }

    private static Optional<String> variableName(String name) {
        return MappingVariables.problem(name)
                .map(m -> m.startsWith("unknown")
                        ? m.replace("'" + name + "'", "'" + name + "'" + Nearest.hint(name, MappingVariables.NAMES)) : m);
    }

    private static void checkJsonPath(RouteDefinition route, NamedNode node, String step, ExpressionDefinition expression,
                                      List<Problem> problems) {
        if (expression == null || !"jsonpath".equals(expression.getLanguage()) || expression.getExpression() == null) {
            return;
        }
        String path = expression.getExpression().trim();
        if (path.contains("${") || path.contains("{{")) {
            return; // Simple or a property placeholder inside: only known at run time
        }
        try {
            JsonPath.compile(path);
        } catch (RuntimeException e) { // InvalidPathException mostly; a malformed filter can throw others
            problems.add(problem(route, node, step, "JSONPath " + path + " does not compile: " + e.getMessage()));
        }
    }

    private static Problem problem(RouteDefinition route, NamedNode node, String step, String message) {
        String location = node.getLocation() != null ? node.getLocation()
                : route.getResource() != null ? route.getResource().getLocation() : null;
        // the YAML DSL counts lines from 0
        return new Problem(Problem.fileOf(location), node.getLineNumber() < 0 ? 0 : node.getLineNumber() + 1,
                route.getRouteId() + " " + step, message);
    }

    private static String step(Object node) {
        if (node instanceof WhenDefinition when && when.getExpression() != null) {
            return "when " + when.getExpression().getLanguage();
        }
        return node instanceof NamedNode named ? named.getShortName() : node.getClass().getSimpleName();
    }

    /** Every node of a route, depth first: steps, the when clauses of a choice, their steps. */
    static List<Object> nodes(RouteDefinition route) {
        List<Object> all = new ArrayList<>();
        addAll(route.getOutputs(), all);
        return all;
    }

    private static void addAll(List<? extends ProcessorDefinition<?>> outputs, List<Object> all) {
        for (ProcessorDefinition<?> node : outputs) {
            all.add(node);
            if (node instanceof ChoiceDefinition choice) {
                for (WhenDefinition when : choice.getWhenClauses()) {
                    all.add(when);
                    addAll(when.getOutputs(), all);
                }
                if (choice.getOtherwise() != null) {
                    all.add(choice.getOtherwise());
                    addAll(choice.getOtherwise().getOutputs(), all);
                }
            } else {
                addAll(node.getOutputs(), all);
            }
        }
    }

    private static Set<String> names(Enum<?>[] values) {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(values).forEach(v -> names.add(v.name()));
        return names;
    }
}
