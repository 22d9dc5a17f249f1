package io.kycrouter.vendors;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to the properties under one prefix (for example {@code kyc.vendor.sumsub.}), with
 * errors that name the property, so a mistake in config/application.properties fails start-up clearly.
 */
public final class Settings {

    private final String prefix;
    private final Function<String, Optional<String>> lookup;

    public Settings(String prefix, Function<String, Optional<String>> lookup) {
        this.prefix = prefix;
        this.lookup = lookup;
    }

    public Settings child(String name) {
        return new Settings(prefix + name + ".", lookup);
    }

    public String key(String name) {
        return prefix + name;
    }

    public Optional<String> get(String name) {
        return lookup.apply(prefix + name).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String get(String name, String defaultValue) {
        return get(name).orElse(defaultValue);
    }

    public String required(String name) {
        return get(name).orElseThrow(() -> new ConfigException(key(name) + " is required"));
    }

    /** A comma-separated list; empty when unset. */
    public List<String> list(String name) {
        return get(name).map(Settings::split).orElse(List.of());
    }

    public long number(String name, long defaultValue) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.get().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key(name) + " must be a whole number, not '" + value.get() + "'");
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key(name) + " must be true or false, not '" + value.get() + "'");
        };
    }

    public static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
