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
    /**
     * What the pooled files held: classes with every file's rounds, where each file's rounds came from, and how many
     * rounds each file measured (in order), so the bootstrap can draw files as well as rounds.
     */
    record Pooled(List<ClassRounds> classes, List<Map<String, Object>> sources, List<Integer> roundsPerRun) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunPool() {}

    /**
     * Reads the files, prints the verdict and writes it as JSON to {@code out}.
     *
     * @throws IllegalArgumentException when a file is not a selector-e2e result or does not line up with the first
     */
    public static void report(List<Path> files, int draws, long seed, Path out, PrintStream print) throws IOException {
        Pooled pooled = read(files);
        MatchUncertainty.Verdict verdict = MatchUncertainty.of(pooled.classes(), pooled.roundsPerRun(), draws, seed);
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
        List<Integer> roundsPerRun = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            if (!"selector-e2e".equals(root.path("benchmark").asText())) {
                throw new IllegalArgumentException(file + " is not a selector-e2e result (benchmark: '"
                        + root.path("benchmark").asText() + "')");
            }
            boolean first = sources.isEmpty();
            Set<String> names = new LinkedHashSet<>();
            int fileRounds = -1;
            for (JsonNode c : root.path("classes")) {
                String name = c.path("name").asText();
                Phase phase = phase(file, c);
                if (!names.add(name)) {
                    throw new IllegalArgumentException(file + ": class " + name + " appears twice");
                }
                if (first) {
                    phases.put(name, phase);
                    rounds.put(name, new LinkedHashMap<>());
                }
                Map<Mode, List<RoundTotal>> modes = readModes(file, c);
                for (Map.Entry<Mode, List<RoundTotal>> e : modes.entrySet()) {
                    if (fileRounds < 0) {
                        fileRounds = e.getValue().size();
                    }
                    if (e.getValue().isEmpty() || e.getValue().size() != fileRounds) {
                        throw new IllegalArgumentException(file + ": " + name + " under " + e.getKey().name() + " has "
                                + e.getValue().size() + " rounds, where the file's first mode has " + fileRounds
                                + "; every mode of every class needs the same measured rounds, at least one");
                    }
                }
                Map<Mode, List<RoundTotal>> pooled = rounds.get(name);
                if (pooled == null || phase != phases.get(name) || !first && !pooled.keySet().equals(modes.keySet())) {
                    throw new IllegalArgumentException(file + ": class " + name + " (" + phase.label() + ") with modes "
                            + modes.keySet() + " does not line up with " + files.get(0));
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
            roundsPerRun.add(fileRounds);
        }
        List<ClassRounds> classes = new ArrayList<>();
        rounds.forEach((name, modes) -> classes.add(new ClassRounds(name, phases.get(name), modes)));
        return new Pooled(classes, sources, roundsPerRun);
    }

    private static Phase phase(Path file, JsonNode taskClass) {
        try {
            return Phase.named(taskClass.path("phase").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": class " + taskClass.path("name").asText() + ": "
                    + e.getMessage());
        }
    }

    /** Each mode's rounds as totals; refuses what does not read as a round, naming the file, class and mode. */
    private static Map<Mode, List<RoundTotal>> readModes(Path file, JsonNode taskClass) {
        String name = taskClass.path("name").asText();
        Map<Mode, List<RoundTotal>> modes = new LinkedHashMap<>();
        for (JsonNode m : taskClass.path("modes")) {
            String where = file + ": " + name + " under " + m.path("mode").asText();
            Mode mode;
            try {
                mode = Mode.named(m.path("mode").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + name + ": " + e.getMessage());
            }
            if (!m.path("rounds").isArray()) {
                throw new IllegalArgumentException(where + " has no rounds array");
            }
            List<RoundTotal> list = new ArrayList<>();
            for (JsonNode r : m.path("rounds")) {
                if (!r.path("samples").canConvertToLong() || !r.path("samples").isIntegralNumber()) {
                    throw new IllegalArgumentException(where + ": a round without a whole number of samples");
                }
                long samples = r.path("samples").asLong();
                if (samples > 0 && !r.path("meanMs").isNumber()) {
                    throw new IllegalArgumentException(where + ": a round has " + samples + " samples but no meanMs");
                }
                try {
                    list.add(new RoundTotal(samples, samples == 0 ? 0 : r.path("meanMs").asDouble() * samples));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage());
                }
            }
            if (modes.put(mode, list) != null) {
                throw new IllegalArgumentException(where + ": the mode appears twice");
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException(file + ": class " + name + " has no modes");
        }
        return modes;
    }
}
