package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationCsv;
import dev.metaserve.selector.store.ObservationStore;
import dev.metaserve.selector.store.Source;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench sweep summary}: which plan wins where in the sweep's observations ({@link PlanWinners}). */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Per model: how many situations each plan wins, the best single plan and what it loses;"
                + " whether one plan wins everywhere.")
public final class SweepSummaryCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--csv", description = "Read a CSV export (e.g. the committed snapshot) instead of a store.")
    Path csv;

    @Override
    public Integer call() throws Exception {
        LibraryLogging.quiet();
        List<Observation> observations;
        if (csv != null) {
            try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                observations = ObservationCsv.read(reader);
            }
        } else {
            try (ObservationStore history = ObservationStore.open(store.location())) {
                observations = history.all();
            }
        }
        List<Observation> sweep = observations.stream().filter(o -> o.source() == Source.SWEEP).toList();
        System.out.print(PlanWinners.format(PlanWinners.summarise(sweep)));
        return 0;
    }
}
