package io.kycrouter.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A list of class-path resources kept in a file beside them: one path per line, blank lines and {@code #} comments
 * ignored. Read instead of scanning the jar, whose central directory (24,000 entries) was walked in full for each
 * folder looked for, at every start (docs/DECISIONS.md, decision 82).
 */
public final class ResourceIndex {

    private ResourceIndex() {
    }

    /** The paths listed in {@code index}, in order; a missing index is a broken build. */
    public static List<String> read(ClassLoader loader, String index) {
        InputStream in = loader.getResourceAsStream(index);
        if (in == null) {
            throw new IllegalStateException(index + " is not on the class path: a broken build");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
    }
}
