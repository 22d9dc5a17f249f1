package io.kycrouter.vendors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPathCacheTest {

    @Test
    void keepsTheCompiledPathOfEachPathText() {
        JsonPathCache cache = new JsonPathCache();
        JsonPath type = JsonPath.compile("$.type");
        assertThat(cache.get("$.type")).isNull();
        cache.put("$.type", type);
        cache.put("$.type", JsonPath.compile("$.type")); // a second compilation of the same text keeps the first
        assertThat(cache.get("$.type")).isSameAs(type);
        assertThat(cache.get("$.status")).isNull();
    }

    @Test
    void keepsNoMoreThanItsLimitOfPaths() {
        JsonPathCache cache = new JsonPathCache();
        for (int i = 0; i < JsonPathCache.LIMIT + 10; i++) {
            cache.put("$.f" + i, JsonPath.compile("$.f" + i));
        }
        assertThat(cache.get("$.f0")).isNotNull();
        assertThat(cache.get("$.f" + (JsonPathCache.LIMIT - 1))).isNotNull();
        assertThat(cache.get("$.f" + JsonPathCache.LIMIT)).isNull(); // compiled at each use instead
    }
}
