package dev.metaserve.selector.tools;

import dev.metaserve.selector.features.CachingEmbedder;
import dev.metaserve.selector.features.DescriptionEmbedder;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.store.Observation;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options both commands share: where the observations are, the description embedding, the seed. */
final class DataOptions {
    @Option(names = "--from", required = true, paramLabel = "SOURCE",
            description = "observations: a store directory (history.mv.db), a jdbc:postgresql: URL (password from $"
                    + ObservationSource.PASSWORD_VARIABLE + "), a CSV snapshot file, or 'bundled'; repeat it to"
                    + " combine sources")
    List<String> from;

    @Option(names = "--db-user", description = "PostgreSQL user for a jdbc: --from")
    String dbUser;

    @Option(names = "--text-components", defaultValue = "" + TrainingContext.DEFAULT_TEXT_COMPONENTS,
            description = "principal components kept of the MiniLM description embedding; 0 = no embedding (and no"
                    + " MiniLM); default ${DEFAULT-VALUE}")
    int textComponents;

    @Option(names = "--embedder-threads", defaultValue = "1",
            description = "ONNX Runtime threads of the MiniLM encoder; default ${DEFAULT-VALUE}")
    int embedderThreads;

    @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice; default ${DEFAULT-VALUE}")
    long seed;

    /** The observations of every source, in the order given, numbered anew so their ids do not collide. */
    List<Observation> observations() {
        List<Observation> all = new ArrayList<>();
        for (String source : from) {
            all.addAll(ObservationSource.read(source, dbUser));
        }
        if (from.size() == 1) {
            return all;
        }
        List<Observation> numbered = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            numbered.add(all.get(i).withId(i + 1));
        }
        return numbered;
    }

    /** The sources, for messages and reports. */
    String sources() {
        return String.join(" + ", from);
    }

    /** Opens the embedder the options ask for; close it when done. */
    Embedder openEmbedder() {
        if (textComponents < 0) {
            throw new ToolException("--text-components must be >= 0, was " + textComponents);
        }
        if (textComponents == 0) {
            return new Embedder(null, text -> {
                throw new IllegalStateException("no description embedding asked for (--text-components 0)");
            });
        }
        MiniLmEmbedder minilm = new MiniLmEmbedder(embedderThreads);
        return new Embedder(minilm, new CachingEmbedder(minilm));
    }

    /** The embedder in use, and the encoder to close (null without one). */
    record Embedder(MiniLmEmbedder owned, DescriptionEmbedder embedder) implements AutoCloseable {
        String name() {
            return owned == null ? "none" : "all-minilm-l6-v2";
        }

        @Override
        public void close() {
            if (owned != null) {
                owned.close();
            }
        }
    }
}
