package io.kycrouter.mapping;

import io.kycrouter.canonical.Canonicalizer;
import io.kycrouter.canonical.EventRecorder;
import io.kycrouter.canonical.UserReferences;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.store.Inbox;
import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.MessageHistory;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The router's mapping without the router: a CamelContext holding the vendors' routes and the {@code map} route of
 * the router's canonical routes, with the canonical bean, and nothing else (no HTTP server, no database, no
 * credential). A payload goes through the same steps as a delivery after authentication: parsed by
 * {@link JsonBodies} and unwrapped from the vendor's envelope ({@link Delivery#json()}), identified by the vendor's
 * event key, then sent to {@code direct:map}. Camel's message history, with source locations, tells which branches
 * of the routes it took.
 */
public final class OfflineMapper implements AutoCloseable {

    /** The route of the router's canonical routes that maps a delivery (the others store, recover, or serve). */
    static final String MAP_ROUTE = "map";

    private final CamelContext context;
    private final VendorRegistry vendors;
    private final Settings kyc;
    private final JsonBodies json;
    private final Clock clock = Clock.systemUTC();

    private final RouterFiles files;

    private OfflineMapper(CamelContext context, VendorRegistry vendors, Settings kyc, JsonBodies json, RouterFiles files) {
        this.files = files;
        this.context = context;
        this.vendors = vendors;
        this.kyc = kyc;
        this.json = json;
    }

    /**
     * Starts a mapper on the router's configuration as {@link RouterFiles} finds it.
     *
     * @param overrides settings that win over the files and the environment (tests)
     */
    public static OfflineMapper start(Map<String, String> overrides) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getCamelContextExtension().setName("kyc-offline-mapper");
        // line numbers and files on every route node, and the nodes an exchange went through: the branch taken
        context.setSourceLocationEnabled(true);
        context.setMessageHistory(true);
        RouterFiles files = RouterFiles.configure(context, overrides);
        context.build(); // type converters ready: options bound from text
        try {
            Settings kyc = new Settings("kyc.", key -> context.getPropertiesComponent().resolveProperty(key));
            configureLanguages(context);
            VendorRegistry vendors = VendorRegistry.quietLoad(kyc, files.vendorNames());
            JsonBodies json = new JsonBodies((int) kyc.number("ingress.max-json-depth", 500));
            context.getRegistry().bind("vendorRegistry", vendors);
            context.getRegistry().bind("canonical", new Canonicalizer(new NothingStored(), () -> { },
                    UserReferences.load(kyc, vendors.names())));
            List<Resource> routes = new ArrayList<>(files.vendorRoutes(context));
            Resource canonical = files.routerRoutes(context, "canonical.yaml");
            routes.add(canonical);
            PluginHelper.getRoutesLoader(context).loadRoutes(routes);
            keepOnlyMapping(context, canonical);
            context.start();
            return new OfflineMapper(context, vendors, kyc, json, files);
        } catch (Exception | Error e) {
            context.stop();
            throw e;
        }
    }

    /**
     * The languages set up as Camel Main sets them up from {@code camel.language.<name>.<option>} (the vendor routes
     * rely on jsonpath's suppress-exceptions: a missing field reads as null).
     */
    private static void configureLanguages(CamelContext context) {
        Properties all = context.getPropertiesComponent().loadProperties(key -> key.startsWith("camel.language."));
        Map<String, Map<String, Object>> byLanguage = new LinkedHashMap<>();
        for (String key : all.stringPropertyNames()) {
            String rest = key.substring("camel.language.".length());
            int dot = rest.indexOf('.');
            if (dot > 0) {
                String value = context.getPropertiesComponent().resolveProperty(key).orElse(all.getProperty(key));
                byLanguage.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>()).put(StringHelper.dashToCamelCase(rest.substring(dot + 1)), value);
            }
        }
        byLanguage.forEach((language, options) -> PropertyBindingSupport.build()
                .bind(context, context.resolveLanguage(language), options));
    }

    /** Of the router's canonical routes only {@code map} is kept: the others need the database or a timer. */
    private static void keepOnlyMapping(CamelContext context, Resource canonical) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> others = model.getRouteDefinitions().stream()
                .filter(r -> r.getResource() != null && canonical.getLocation().equals(r.getResource().getLocation()))
                .filter(r -> !MAP_ROUTE.equals(r.getRouteId()))
                .toList();
        model.removeRouteDefinitions(others);
        if (model.getRouteDefinition(MAP_ROUTE) == null) {
            throw new IllegalStateException(canonical.getLocation() + " has no route '" + MAP_ROUTE + "'");
        }
    }

    public Set<String> vendorNames() {
        return vendors.names();
    }

    public Optional<VendorDefinition> vendor(String name) {
        return vendors.find(name);
    }

    /** Where the vendors' folders are (their examples). */
    public RouterFiles files() {
        return files;
    }

    public Settings settings() {
        return kyc;
    }

    /**
     * Maps a payload as the vendor sent it (after authentication and decryption).
     *
     * @throws IllegalArgumentException unknown vendor
     * @throws DeliveryRejected         the ingress would refuse this payload (not JSON, no event key...)
     * @throws EncryptedPayload         an encrypted envelope: map takes the plaintext
     */
    public Mapping map(String vendorName, byte[] payload) {
        VendorDefinition vendor = vendors.find(vendorName).orElseThrow(() -> new IllegalArgumentException(
                "unknown vendor '" + vendorName + "'; known vendors: " + String.join(", ", vendors.names().stream().sorted().toList())));
        Instant receivedAt = clock.instant();
        Delivery delivery = new Delivery(vendor.name(), vendor.envelope(), payload, name -> null, name -> null,
                receivedAt, json);
        Map<String, Object> document = delivery.json();
        EncryptedPayload.check(vendor, kyc, document);
        String eventKey = vendor.eventKey().of(document);

        Exchange exchange = context.getEndpoint("direct:" + MAP_ROUTE).createExchange();
        exchange.setVariable("vendor", vendor.name());
        exchange.setVariable("receivedAt", receivedAt);
        exchange.setVariable("delivery", delivery);
        exchange.setVariable("eventKey", eventKey);
        exchange.getMessage().setBody(document);
        try (ProducerTemplate producer = context.createProducerTemplate()) {
            exchange = producer.send("direct:" + MAP_ROUTE, exchange);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        if (exchange.getException() != null) {
            throw new IllegalStateException("the map route failed: " + exchange.getException().getMessage(), exchange.getException());
        }
        @SuppressWarnings("unchecked")
        List<MessageHistory> history = exchange.getProperty(ExchangePropertyKey.MESSAGE_HISTORY, List.class);
        VerificationEvent event = exchange.getVariable("event", VerificationEvent.class);
        boolean timeFromPayload = exchange.getVariable("occurredAt") != null
                && !String.valueOf(exchange.getVariable("occurredAt")).isBlank();
        return new Mapping(vendor.name(), eventKey, event == null ? List.of() : List.of(event), timeFromPayload,
                BranchTrail.of(history), exchange.getVariable("mappingError", String.class));
    }

    @Override
    public void close() {
        context.stop();
    }

    /** The map route stores nothing; only the description of a failure is used (the same as the store's). */
    private static final class NothingStored implements EventRecorder {

        @Override
        public boolean append(VerificationEvent event) {
            throw new UnsupportedOperationException("the offline mapper stores nothing");
        }

        @Override
        public void recordFailure(long inboxId, String error, boolean permanent) {
            throw new UnsupportedOperationException("the offline mapper stores nothing");
        }

        @Override
        public boolean permanent(Throwable cause) {
            return Inbox.permanent(cause);
        }

        @Override
        public String describe(Throwable cause) {
            return Inbox.describe(cause);
        }
    }
}
