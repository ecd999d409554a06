package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationCsv;
import dev.metaserve.selector.store.ObservationStore;
import dev.metaserve.selector.store.Source;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench sweep export}: the store's sweep observations as CSV ({@link ObservationCsv}), e.g. a snapshot. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the store's sweep observations (source SWEEP, id order) as CSV.")
public final class SweepExportCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--out", required = true, description = "CSV file to write (replaced whole, never half-written).")
    Path out;

    @Option(names = "--all-sources", description = "Live observations too, not only the sweep's.")
    boolean allSources;

    @Override
    public Integer call() throws Exception {
        LibraryLogging.quiet();
        List<Observation> observations;
        try (ObservationStore history = ObservationStore.open(store.location())) {
            observations = history.all().stream()
                    .filter(o -> allSources || o.source() == Source.SWEEP)
                    .toList();
        }
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        try {
            try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                ObservationCsv.write(observations, writer);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        System.out.println("wrote " + observations.size() + " observations to " + out);
        return 0;
    }
}
