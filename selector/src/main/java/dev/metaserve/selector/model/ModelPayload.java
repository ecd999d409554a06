package dev.metaserve.selector.model;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.features.CandidateFeatures;
import dev.metaserve.selector.features.DescriptionFeatures;
import dev.metaserve.selector.features.Pca;
import dev.metaserve.selector.learn.BoostedTrees;
import dev.metaserve.selector.learn.NeighbourScores;
import dev.metaserve.selector.learn.PerformanceModel;
import dev.metaserve.selector.learn.RegressionTree;
import dev.metaserve.selector.problem.CandidateKey;
import dev.metaserve.selector.problem.CellKey;
import dev.metaserve.selector.problem.NodeSpec;
import dev.metaserve.selector.quality.QualityEstimator;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a model file, after the header: quality table, description features (PCA and known descriptions),
 * neighbour table, boosted trees. Big-endian {@link DataOutput} primitives, strings as modified UTF-8; every count is
 * checked against a limit on reading, and the feature names the trees were trained on are stored and compared with
 * this build's, so a model made by other feature code is refused instead of silently misread.
 */
final class ModelPayload {
    /** Largest count of any list in the payload; guards against allocating on a corrupt count. */
    private static final int MAX_COUNT = 10_000_000;

    private ModelPayload() {}

    static void write(DataOutput out, QualityEstimator quality, PerformanceModel model) throws IOException {
        Map<String, Double> table = quality.table();
        out.writeInt(table.size());
        for (Map.Entry<String, Double> e : table.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        List<String> names = model.featureNames();
        out.writeInt(names.size());
        for (String n : names) {
            out.writeUTF(n);
        }
        writeDescriptions(out, model.features().text());
        NeighbourScores nb = model.neighbours();
        out.writeBoolean(nb != null);
        if (nb != null) {
            writeNeighbours(out, nb);
        }
        out.writeInt(model.ensemble().size());
        for (BoostedTrees b : model.ensemble()) {
            out.writeDouble(b.base());
            out.writeDouble(b.learningRate());
            out.writeInt(b.trees().size());
            for (RegressionTree t : b.trees()) {
                out.writeInt(t.nodes());
                for (int i = 0; i < t.nodes(); i++) {
                    out.writeInt(t.feature()[i]);
                    out.writeDouble(t.threshold()[i]);
                    out.writeInt(t.left()[i]);
                    out.writeInt(t.right()[i]);
                    out.writeDouble(t.value()[i]);
                }
            }
        }
    }

    private static void writeDescriptions(DataOutput out, DescriptionFeatures text) throws IOException {
        Pca pca = text.pca();
        writeDoubles(out, pca.mean());
        out.writeInt(pca.dimension());
        for (double[] c : pca.components()) {
            writeDoubles(out, c);
        }
        Map<String, double[]> table = text.table();
        out.writeInt(table.size());
        for (Map.Entry<String, double[]> e : table.entrySet()) {
            out.writeUTF(e.getKey());
            writeDoubles(out, e.getValue());
        }
    }

    private static void writeNeighbours(DataOutput out, NeighbourScores nb) throws IOException {
        out.writeInt(nb.k());
        writeDoubles(out, nb.scale());
        out.writeInt(nb.entries().size());
        for (NeighbourScores.Entry e : nb.entries()) {
            CellKey c = e.cell();
            out.writeUTF(c.model());
            out.writeUTF(c.taskKind());
            out.writeUTF(c.inputKind());
            out.writeInt(c.inputTokens());
            out.writeInt(c.outputTokens());
            out.writeInt(c.textsPerRequest());
            out.writeInt(c.concurrency());
            out.writeUTF(e.group());
            writeDoubles(out, e.position());
            List<Map.Entry<CandidateKey, double[]>> scores = new ArrayList<>(e.scores().entrySet());
            scores.sort(Map.Entry.comparingByKey());
            out.writeInt(scores.size());
            for (Map.Entry<CandidateKey, double[]> s : scores) {
                NodeSpec node = s.getKey().node();
                out.writeInt(node.intraOpThreads());
                out.writeInt(node.cpuCores());
                out.writeLong(node.memoryLimitMb());
                out.writeInt(node.networkDelayMs());
                out.writeUTF(s.getKey().plan().toString());
                writeDoubles(out, s.getValue());
            }
        }
    }

    private static void writeDoubles(DataOutput out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException              when the bytes end early
     * @throws IllegalArgumentException when a value is out of range, or the features differ from this build's
     */
    static SelectorModel read(DataInput in, ModelHeader header) throws IOException {
        int qualityEntries = count(in, "quality table entries");
        Map<String, Double> qualityTable = new HashMap<>();
        for (int i = 0; i < qualityEntries; i++) {
            qualityTable.put(in.readUTF(), in.readDouble());
        }
        int nameCount = count(in, "feature names");
        List<String> names = new ArrayList<>(nameCount);
        for (int i = 0; i < nameCount; i++) {
            names.add(in.readUTF());
        }
        DescriptionFeatures text = readDescriptions(in);
        NeighbourScores neighbours = in.readBoolean() ? readNeighbours(in) : null;
        int members = count(in, "ensemble members");
        List<BoostedTrees> ensemble = new ArrayList<>(members);
        for (int m = 0; m < members; m++) {
            double base = in.readDouble();
            double rate = in.readDouble();
            int treeCount = count(in, "trees");
            List<RegressionTree> trees = new ArrayList<>(treeCount);
            for (int t = 0; t < treeCount; t++) {
                int nodes = count(in, "tree nodes");
                int[] feature = new int[nodes];
                double[] threshold = new double[nodes];
                int[] left = new int[nodes];
                int[] right = new int[nodes];
                double[] value = new double[nodes];
                for (int i = 0; i < nodes; i++) {
                    feature[i] = in.readInt();
                    threshold[i] = in.readDouble();
                    left[i] = in.readInt();
                    right[i] = in.readInt();
                    value[i] = in.readDouble();
                }
                RegressionTree tree = new RegressionTree(feature, threshold, left, right, value);
                if (tree.maxFeature() >= nameCount) {
                    throw new IllegalArgumentException("a tree splits on feature " + tree.maxFeature() + " of "
                            + nameCount);
                }
                trees.add(tree);
            }
            ensemble.add(new BoostedTrees(base, rate, trees));
        }
        PerformanceModel model = new PerformanceModel(new CandidateFeatures(text), neighbours, ensemble);
        if (!model.featureNames().equals(names)) {
            throw new IllegalArgumentException("the model was trained on features " + names + " but this build makes "
                    + model.featureNames() + "; retrain it with this build (selector train)");
        }
        return new SelectorModel(header, new QualityEstimator(qualityTable), model);
    }

    private static DescriptionFeatures readDescriptions(DataInput in) throws IOException {
        double[] mean = readDoubles(in);
        int k = count(in, "principal components");
        double[][] components = new double[k][];
        for (int c = 0; c < k; c++) {
            components[c] = readDoubles(in);
        }
        int known = count(in, "known descriptions");
        Map<String, double[]> table = new LinkedHashMap<>();
        for (int i = 0; i < known; i++) {
            table.put(in.readUTF(), readDoubles(in));
        }
        return new DescriptionFeatures(new Pca(mean, components), table, null);
    }

    private static NeighbourScores readNeighbours(DataInput in) throws IOException {
        int k = in.readInt();
        double[] scale = readDoubles(in);
        int entryCount = count(in, "neighbour entries");
        List<NeighbourScores.Entry> entries = new ArrayList<>(entryCount);
        for (int e = 0; e < entryCount; e++) {
            CellKey cell = new CellKey(in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt());
            String group = in.readUTF();
            double[] position = readDoubles(in);
            int scoreCount = count(in, "neighbour scores");
            Map<CandidateKey, double[]> scores = new HashMap<>();
            for (int s = 0; s < scoreCount; s++) {
                NodeSpec node = new NodeSpec(in.readInt(), in.readInt(), in.readLong(), in.readInt());
                Plan plan = Plan.parse(in.readUTF());
                double[] values = readDoubles(in);
                if (values.length != 2) {
                    throw new IllegalArgumentException("a neighbour score has " + values.length + " values, not 2");
                }
                scores.put(new CandidateKey(node, plan), values);
            }
            entries.add(new NeighbourScores.Entry(cell, group, position, scores));
        }
        return new NeighbourScores(k, scale, entries);
    }

    private static double[] readDoubles(DataInput in) throws IOException {
        double[] values = new double[count(in, "values")];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    private static int count(DataInput in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalArgumentException("count of " + what + " is " + n + ", outside [0, " + MAX_COUNT + "]");
        }
        return n;
    }
}
