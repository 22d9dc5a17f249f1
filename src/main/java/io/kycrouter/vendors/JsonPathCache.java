package io.kycrouter.vendors;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.spi.cache.Cache;
import com.jayway.jsonpath.spi.cache.CacheProvider;

import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONPath's cache of compiled paths, without a lock. Camel's jsonpath language hands JSONPath each route's path as
 * text, and JSONPath looks it up in a process-wide cache on every evaluation: its default (an LRU of 400) takes one
 * lock for every lookup, and the webhook routes' event loops queued on it (docs/DECISIONS.md, 80). The paths are the
 * route files' own, a fixed set: kept in a concurrent map, read without a lock. Past {@link #LIMIT} distinct paths
 * (a path built per message, say) the rest are compiled at each use rather than kept, so the cache cannot grow
 * without bound.
 */
public final class JsonPathCache implements Cache {

    /** Paths kept at most. */
    static final int LIMIT = 2048;

    private final ConcurrentHashMap<String, JsonPath> paths = new ConcurrentHashMap<>();

    JsonPathCache() {
    }

    /**
     * Makes this JSONPath's cache, once per process, before any path is evaluated. Returns whether it is in place:
     * false when JSONPath's own was already in use (then that one stays; nothing else changes).
     */
    public static boolean install() {
        try {
            CacheProvider.setCache(new JsonPathCache());
            return true;
        } catch (JsonPathException alreadySet) {
            return CacheProvider.getCache() instanceof JsonPathCache;
        }
    }

    @Override
    public JsonPath get(String key) {
        return paths.get(key);
    }

    @Override
    public void put(String key, JsonPath value) {
        if (paths.size() < LIMIT) {
            paths.putIfAbsent(key, value);
        }
    }
}
