package io.kycrouter.vendors;

/** A mistake in the router's configuration; start-up fails with this message. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
