package dev.metaserve.selector.features;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reduced embedding of descriptions: PCA fit on the training descriptions' embeddings, and a table of the
 * projected vectors of every description seen so far, so known descriptions cost a map lookup. An unknown
 * description is embedded when an embedder is at hand (and remembered, up to {@value #MAX_REMEMBERED}); without one
 * it gets the centre of the training descriptions (all zeros), which the learners read as "no information".
 */
public final class DescriptionFeatures {
    /** Most descriptions remembered, so a stream of novel tasks cannot grow the table without end. */
    static final int MAX_REMEMBERED = 100_000;

    private final Pca pca;
    private final Map<String, double[]> projected;
    private volatile DescriptionEmbedder embedder;

    /** Restores fitted features (the model file); every projected vector has the PCA's dimension. */
    public DescriptionFeatures(Pca pca, Map<String, double[]> projected, DescriptionEmbedder embedder) {
        for (Map.Entry<String, double[]> e : projected.entrySet()) {
            if (e.getValue().length != pca.dimension()) {
                throw new IllegalArgumentException("description features: vector of '" + e.getKey() + "' has length "
                        + e.getValue().length + ", expected " + pca.dimension());
            }
        }
        this.pca = pca;
        this.projected = new ConcurrentHashMap<>(projected);
        this.embedder = embedder;
    }

    /**
     * Embeds the distinct descriptions and fits {@code components} principal components on them; with 0 components
     * nothing is embedded and every description maps to an empty vector.
     */
    public static DescriptionFeatures fit(List<String> descriptions, DescriptionEmbedder embedder, int components) {
        if (components == 0) {
            return new DescriptionFeatures(new Pca(new double[0], new double[0][]), Map.of(), null);
        }
        List<String> distinct = descriptions.stream().distinct().sorted().toList();
        List<float[]> vectors = embedder.embedAll(distinct);
        Pca pca = Pca.fit(vectors, components);
        Map<String, double[]> table = new ConcurrentHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            table.put(distinct.get(i), pca.project(vectors.get(i)));
        }
        return new DescriptionFeatures(pca, table, embedder);
    }

    public int dimension() {
        return pca.dimension();
    }

    /** The reduced embedding of a description; never null. */
    public double[] of(String description) {
        double[] known = projected.get(description);
        if (known != null) {
            return known;
        }
        DescriptionEmbedder e = embedder;
        if (e == null || pca.dimension() == 0) {
            return new double[pca.dimension()];
        }
        double[] v = pca.project(e.embed(description));
        if (projected.size() < MAX_REMEMBERED) {
            projected.put(description, v);
        }
        return v;
    }

    /** Whether a description is in the table (no embedding needed). */
    public boolean knows(String description) {
        return projected.containsKey(description);
    }

    /** Uses this embedder for descriptions not in the table (e.g. after loading a model file, which has none). */
    public void useEmbedder(DescriptionEmbedder newEmbedder) {
        this.embedder = newEmbedder;
    }

    public Pca pca() {
        return pca;
    }

    /** Known descriptions and their reduced embeddings, sorted by description (for the model file). */
    public Map<String, double[]> table() {
        return new java.util.TreeMap<>(projected);
    }
}
