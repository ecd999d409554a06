package dev.metaserve.selector.testing;

import dev.metaserve.selector.features.DescriptionEmbedder;

/** A deterministic stand-in for the sentence encoder: words hashed into 32 buckets, normalised. */
public final class HashingEmbedder implements DescriptionEmbedder {
    public static final int DIMENSION = 32;

    @Override
    public float[] embed(String description) {
        float[] v = new float[DIMENSION];
        for (String word : description.toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9-]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(Math.max(norm, 1e-12));
        }
        return v;
    }
}
