package dev.metaserve.selector.features;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Embeds each distinct description once: descriptions are few (tasks times nodes) while features are built for every
 * candidate in every fold. Safe for use from several threads.
 */
public final class CachingEmbedder implements DescriptionEmbedder {
    private final DescriptionEmbedder inner;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    public CachingEmbedder(DescriptionEmbedder inner) {
        this.inner = Objects.requireNonNull(inner, "embedder must not be null");
    }

    @Override
    public float[] embed(String description) {
        return cache.computeIfAbsent(description, inner::embed);
    }

    @Override
    public List<float[]> embedAll(List<String> descriptions) {
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(descriptions));
        missing.removeIf(cache::containsKey);
        if (!missing.isEmpty()) {
            List<float[]> vectors = inner.embedAll(missing);
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i), vectors.get(i));
            }
        }
        List<float[]> out = new ArrayList<>(descriptions.size());
        for (String d : descriptions) {
            out.add(cache.get(d));
        }
        return out;
    }

    /** Distinct descriptions embedded so far. */
    public int size() {
        return cache.size();
    }
}
