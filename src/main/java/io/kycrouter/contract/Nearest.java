package io.kycrouter.contract;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The known name closest to a mistyped one, for "did you mean" hints. */
final class Nearest {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Nearest() {
    }

    /** The closest candidate by edit distance (ties: the first in alphabetical order). */
    static Optional<String> to(String name, Collection<String> candidates) {
        return candidates.stream()
                .min(Comparator.comparingInt((String c) -> DISTANCE.apply(name, c)).thenComparing(c -> c));
    }

    /** " (did you mean 'x'?)" when the closest candidate is close enough to be what was meant, else empty. */
    static String hint(String name, Collection<String> candidates) {
        return to(name, candidates).filter(c -> DISTANCE.apply(name, c) <= Math.max(2, name.length() / 3))
                .map(c -> " (did you mean '" + c + "'?)").orElse("");
    }
}
