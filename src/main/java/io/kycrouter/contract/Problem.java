package io.kycrouter.contract;

import java.nio.file.Path;

/**
 * One mistake in a file an operator writes (a route file, application.properties, a vendor.properties), printed as
 * {@code <file>:<line>: <where>: <message>} so that editors and terminals link it to the place.
 *
 * @param file  the file as the operator would name it (relative to the working directory when under it)
 * @param line  1-based, or 0 when unknown
 * @param where the route id and step, or the property key
 */
public record Problem(String file, int line, String where, String message) {

    /** A file location as Camel records it (file:routes/x.yaml, classpath:router/api.yaml), made short. */
    public static String fileOf(String location) {
        if (location == null) {
            return "?";
        }
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        if (location.startsWith("file:")) {
            Path p = Path.of(path).toAbsolutePath().normalize();
            Path here = Path.of("").toAbsolutePath();
            if (p.startsWith(here)) {
                return here.relativize(p).toString();
            }
            return p.toString();
        }
        return path;
    }

    @Override
    public String toString() {
        String at = file == null || file.isEmpty() ? "" : file + (line > 0 ? ":" + line : "") + ": ";
        return at + where + ": " + message;
    }
}
