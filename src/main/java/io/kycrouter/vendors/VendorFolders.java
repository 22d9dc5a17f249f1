package io.kycrouter.vendors;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The vendors, one folder each: {@code <dir>/<vendor>/vendor.properties} (its settings, keys relative to
 * {@code kyc.vendor.<vendor>.}) and {@code <dir>/<vendor>/routes.yaml} (its mapping route). Every folder is a vendor,
 * so a folder that is not one (no vendor.properties or routes.yaml, a name that cannot be a vendor's) stops start-up
 * rather than leaving a vendor silently out; hidden folders (.git, editors' folders) are not vendors.
 */
public final class VendorFolders {

    public static final String PROPERTIES_FILE = "vendor.properties";
    public static final String ROUTES_FILE = "routes.yaml";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Path dir;
    private final Map<String, Path> folders;

    private VendorFolders(Path dir, Map<String, Path> folders) {
        this.dir = dir;
        this.folders = folders;
    }

    /** Every vendor folder under {@code dir}, in name order. */
    public static VendorFolders scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("the vendors folder " + dir.toAbsolutePath() + " does not exist (set KYC_VENDORS_DIR"
                    + " to the folder that holds one folder per vendor)");
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("cannot read the vendors folder " + dir.toAbsolutePath() + ": " + e.getMessage());
        }
        Map<String, Path> folders = new LinkedHashMap<>();
        for (Path folder : entries) {
            String name = folder.getFileName().toString();
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("vendor folder " + folder + ": a vendor's name is lower-case letters, digits and '-'"
                        + " (at most 32, starting with a letter or digit), not '" + name + "'");
            }
            for (String file : List.of(PROPERTIES_FILE, ROUTES_FILE)) {
                if (!Files.isRegularFile(folder.resolve(file))) {
                    throw new ConfigException("vendor folder " + folder + " has no " + file + " (every folder under " + dir
                            + " is a vendor: " + PROPERTIES_FILE + " and " + ROUTES_FILE + "; see README, 'Adding a vendor')");
                }
            }
            folders.put(name, folder);
        }
        if (folders.isEmpty()) {
            throw new ConfigException("no vendor folder under " + dir.toAbsolutePath() + ": each vendor is a folder <name>/ with "
                    + PROPERTIES_FILE + " and " + ROUTES_FILE);
        }
        return new VendorFolders(dir, folders);
    }

    /** These folders less the vendors named (kyc.vendors.disabled); naming a vendor that has no folder is a mistake. */
    public VendorFolders without(Collection<String> disabled) {
        Map<String, Path> kept = new LinkedHashMap<>(folders);
        for (String name : disabled) {
            if (kept.remove(name) == null && !folders.containsKey(name)) {
                throw new ConfigException("kyc.vendors.disabled names '" + name + "', which is not a vendor folder under " + dir
                        + " (vendors: " + String.join(", ", folders.keySet()) + ")");
            }
        }
        if (kept.isEmpty()) {
            throw new ConfigException("kyc.vendors.disabled turns off every vendor under " + dir + ": nothing would be accepted");
        }
        return new VendorFolders(dir, kept);
    }

    public Path dir() {
        return dir;
    }

    public List<String> names() {
        return List.copyOf(folders.keySet());
    }

    public Path folder(String name) {
        Path folder = folders.get(name);
        if (folder == null) {
            throw new IllegalArgumentException("no vendor folder " + name + " under " + dir);
        }
        return folder;
    }

    public Path routes(String name) {
        return folder(name).resolve(ROUTES_FILE);
    }

    /**
     * The vendor's vendor.properties with every key prefixed with {@code kyc.vendor.<name>.}; the values as written
     * ({{env:...}} placeholders are Camel's to resolve). The file is read as UTF-8.
     */
    public Map<String, String> properties(String name) {
        Path file = folder(name).resolve(PROPERTIES_FILE);
        Properties relative = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            relative.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> prefixed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(relative.stringPropertyNames());
        keys.sort(null);
        for (String key : keys) {
            if (key.startsWith("kyc.") || key.startsWith("camel.")) {
                throw new ConfigException(file + ": key '" + key + "' is written relative to kyc.vendor." + name
                        + ". (for example 'auth = digest'), not in full");
            }
            prefixed.put("kyc.vendor." + name + "." + key, relative.getProperty(key));
        }
        return prefixed;
    }
}
