package dev.metaserve.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.metaserve.bench.ResultsTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several {@code selector-e2e} result files taken as one longer run: each class's measured rounds, file after file,
 * judged by {@link MatchUncertainty}. One run's rounds are too few to tell a selector within 5% of the best fixed plan
 * from one 10% behind, so runs of the same code are pooled. The files must hold the same classes with the same modes;
 * settling rounds are left out, as in each run's own comparison.
 */
public final class RunPool {
    /** What the pooled files held: classes with every file's rounds, and where each file's rounds came from. */
    record Pooled(List<ClassRounds> classes, List<Map<String, Object>> sources) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunPool() {}

    /**
     * Reads the files, prints the verdict and writes it as JSON to {@code out}.
     *
     * @throws IllegalArgumentException when a file is not a selector-e2e result or does not line up with the first
     */
    public static void report(List<Path> files, int draws, long seed, Path out, PrintStream print) throws IOException {
        Pooled pooled = read(files);
        MatchUncertainty.Verdict verdict = MatchUncertainty.of(pooled.classes(), draws, seed);
        print.print(VerdictTable.format(verdict, pooled.sources().size()));
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("runs", pooled.sources());
        setup.put("draws", draws);
        setup.put("seed", seed);
        Map<String, Object> document = ResultsTable.document("selector-e2e-pool", setup);
        document.put("verdict", VerdictTable.json(verdict));
        ResultsTable.writeJson(out, document);
        print.println("written: " + out);
    }

    static Pooled read(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no result file to pool");
        }
        Map<String, Phase> phases = new LinkedHashMap<>();
        Map<String, Map<Mode, List<RoundTotal>>> rounds = new LinkedHashMap<>();
        List<Map<String, Object>> sources = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            if (!"selector-e2e".equals(root.path("benchmark").asText())) {
                throw new IllegalArgumentException(file + " is not a selector-e2e result (benchmark: '"
                        + root.path("benchmark").asText() + "')");
            }
            Set<String> names = new LinkedHashSet<>();
            int fileRounds = -1;
            for (JsonNode c : root.path("classes")) {
                String name = c.path("name").asText();
                names.add(name);
                Map<Mode, List<RoundTotal>> modes = readModes(file, c);
                fileRounds = modes.values().iterator().next().size();
                boolean first = sources.isEmpty();
                if (first) {
                    phases.put(name, Phase.named(c.path("phase").asText()));
                    rounds.put(name, new LinkedHashMap<>());
                }
                Map<Mode, List<RoundTotal>> pooled = rounds.get(name);
                if (pooled == null || !first && !pooled.keySet().equals(modes.keySet())) {
                    throw new IllegalArgumentException(file + ": class " + name + " with modes " + modes.keySet()
                            + " does not line up with " + files.get(0));
                }
                modes.forEach((mode, list) -> pooled.computeIfAbsent(mode, m -> new ArrayList<>()).addAll(list));
            }
            if (!names.equals(rounds.keySet())) {
                throw new IllegalArgumentException(file + " has classes " + names + ", " + files.get(0) + " "
                        + rounds.keySet());
            }
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("file", file.toString());
            source.put("time", root.path("time").asText());
            source.put("rounds", fileRounds);
            sources.add(source);
        }
        List<ClassRounds> classes = new ArrayList<>();
        rounds.forEach((name, modes) -> classes.add(new ClassRounds(name, phases.get(name), modes)));
        return new Pooled(classes, sources);
    }

    private static Map<Mode, List<RoundTotal>> readModes(Path file, JsonNode taskClass) {
        Map<Mode, List<RoundTotal>> modes = new LinkedHashMap<>();
        for (JsonNode m : taskClass.path("modes")) {
            List<RoundTotal> list = new ArrayList<>();
            for (JsonNode r : m.path("rounds")) {
                long samples = r.path("samples").asLong();
                if (samples > 0 && !r.path("meanMs").isNumber()) {
                    throw new IllegalArgumentException(file + ": a round of " + m.path("mode").asText() + " on "
                            + taskClass.path("name").asText() + " has " + samples + " samples but no meanMs");
                }
                list.add(new RoundTotal(samples, samples == 0 ? 0 : r.path("meanMs").asDouble() * samples));
            }
            modes.put(Mode.named(m.path("mode").asText()), list);
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException(file + ": class " + taskClass.path("name").asText() + " has no modes");
        }
        return modes;
    }
}
