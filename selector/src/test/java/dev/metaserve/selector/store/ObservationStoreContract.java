package dev.metaserve.selector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every store must do, whatever the database: run once per database by its subclasses. */
@Timeout(60)
abstract class ObservationStoreContract {

    /** A location no test has used yet, with no database in it yet. */
    protected abstract StoreLocation newLocation() throws Exception;

    /** Restarts the database server behind the stores (their stores are closed); nothing to do for embedded. */
    protected abstract void restartDatabase() throws Exception;

    @Test
    void appendedObservationsReadBackEqualWithTheIdsTheStoreGave() throws Exception {
        try (ObservationStore store = ObservationStore.open(newLocation())) {
            List<Observation> expected = new ArrayList<>();
            for (Observation o : Observations.numbers(0, 8)) {
                expected.add(o.withId(store.append(o)));
            }

            assertThat(store.all()).containsExactlyElementsOf(expected);
            assertThat(store.count()).isEqualTo(8);
            assertThat(expected).extracting(Observation::id).doesNotHaveDuplicates().isSorted();
            assertThat(expected.get(0).observedAt()).isEqualTo(Observations.START.plusNanos(-789));
        }
    }

    @Test
    void appendAllStoresABatchAndSinceReadsWhatCameAfterAnId() throws Exception {
        try (ObservationStore store = ObservationStore.open(newLocation())) {
            store.appendAll(Observations.numbers(0, 10));
            List<Observation> all = store.all();
            long fourth = all.get(3).id();

            assertThat(all).extracting(o -> o.withId(0)).containsExactlyElementsOf(Observations.numbers(0, 10));
            assertThat(store.since(0)).isEqualTo(all);
            assertThat(store.since(fourth)).isEqualTo(all.subList(4, 10));
            assertThat(store.since(fourth, 3)).isEqualTo(all.subList(4, 7));
            assertThat(store.since(all.get(9).id())).isEmpty();
            store.appendAll(List.of());
            assertThat(store.count()).isEqualTo(10);
        }
    }

    @Test
    void appendAllIsOneTransactionSoAFailedBatchStoresNothing() throws Exception {
        StoreLocation location = newLocation();
        try (ObservationStore store = ObservationStore.open(location)) {
            store.append(Observations.number(0));
            // a rule of this database only, so the store's own checks pass and the database refuses the 2nd row
            execute(location, "ALTER TABLE observation ADD CONSTRAINT test_refuses_node CHECK (node_id <> 'refused')");
            Observation refused = Observations.number(2);
            refused = Observation.of(refused.task(), refused.plan(), Observations.node("refused", 1),
                    refused.measurement(), refused.observedAt(), refused.source());

            List<Observation> batch = List.of(Observations.number(1), refused, Observations.number(3));
            assertThatThrownBy(() -> store.appendAll(batch))
                    .isInstanceOf(HistoryStoreException.class)
                    .hasMessageContaining("cannot append 3 observations");
            assertThat(store.count()).isEqualTo(1);
        }
    }

    @Test
    void containsTellsASweepWhichCellsItAlreadyMeasured() throws Exception {
        try (ObservationStore store = ObservationStore.open(newLocation())) {
            TaskProfile task = Observations.embeddingTask(12);
            Plan plan = new Plan(new Batching.Dynamic(8, 2000), Precision.INT8);
            HardwareProfile node = Observations.node("node-a", 2);
            store.append(Observation.of(task, plan, node, Observations.measurement(40), Observations.START,
                    Source.SWEEP));

            assertThat(store.contains(task, plan, node, Source.SWEEP)).isTrue();
            assertThat(store.contains(task, Plan.parse("batching=dynamic(8,2000),precision=int8"),
                    new HardwareProfile("node-a", 2, 2, 4096, 0, "another description"), Source.SWEEP)).isTrue();
            assertThat(store.contains(task, plan, node, Source.LIVE)).isFalse();
            assertThat(store.contains(task, plan.withPrecision(Precision.FP32), node, Source.SWEEP)).isFalse();
            assertThat(store.contains(task, plan, Observations.node("node-a", 1), Source.SWEEP)).isFalse();
            assertThat(store.contains(Observations.embeddingTask(13), plan, node, Source.SWEEP)).isFalse();
        }
    }

    @Test
    void countTellsASweepHowManyRoundsOfACellItAlreadyMeasured() throws Exception {
        try (ObservationStore store = ObservationStore.open(newLocation())) {
            TaskProfile task = Observations.embeddingTask(12);
            Plan plan = new Plan(new Batching.Dynamic(8, 2000), Precision.INT8);
            HardwareProfile node = Observations.node("node-a", 2);
            assertThat(store.count(task, plan, node, Source.SWEEP)).isZero();
            store.append(Observation.of(task, plan, node, Observations.measurement(40), Observations.START,
                    Source.SWEEP));
            store.appendAll(List.of(
                    Observation.of(task, plan, new HardwareProfile("node-a", 2, 2, 4096, 0, "another description"),
                            Observations.measurement(41), Observations.START, Source.SWEEP),
                    Observation.of(task, plan, node, Observations.measurement(42), Observations.START, Source.LIVE),
                    Observation.of(Observations.embeddingTask(13), plan, node, Observations.measurement(43),
                            Observations.START, Source.SWEEP),
                    Observation.of(task, plan.withPrecision(Precision.FP32), node, Observations.measurement(44),
                            Observations.START, Source.SWEEP)));

            assertThat(store.count(task, plan, node, Source.SWEEP)).isEqualTo(2);
            assertThat(store.count(task, plan, node, Source.LIVE)).isEqualTo(1);
            assertThat(store.count(Observations.embeddingTask(13), plan, node, Source.SWEEP)).isEqualTo(1);
            assertThat(store.count(task, plan, Observations.node("node-a", 1), Source.SWEEP)).isZero();
        }
    }

    @Test
    void everyObservationSurvivesCloseAndRestart() throws Exception {
        StoreLocation location = newLocation();
        List<Observation> before;
        try (ObservationStore store = ObservationStore.open(location)) {
            store.appendAll(Observations.numbers(0, 20));
            store.append(Observations.number(20));
            before = store.all();
        }
        restartDatabase();

        try (ObservationStore store = ObservationStore.open(location)) {
            assertThat(store.all()).isEqualTo(before);
            long next = store.append(Observations.number(21));
            assertThat(next).isGreaterThan(before.get(before.size() - 1).id());
            assertThat(store.count()).isEqualTo(22);
        }
    }

    @Test
    void migrationsRunOnceAndReopeningLeavesSchemaAndRowsAlone() throws Exception {
        StoreLocation location = newLocation();
        try (ObservationStore store = ObservationStore.open(location)) {
            store.append(Observations.number(0));
        }
        List<String> historyAfterFirstOpen = schemaHistory(location);
        for (int round = 1; round < 3; round++) {
            try (ObservationStore store = ObservationStore.open(location)) {
                store.append(Observations.number(round));
            }
        }

        assertThat(schemaHistory(location)).isEqualTo(historyAfterFirstOpen)
                .filteredOn(row -> !row.startsWith("null:")).containsExactly("1:observations:true");
        assertThat(SchemaMigrations.migrate(StoreDataSources.create(location))).isZero();
        try (ObservationStore store = ObservationStore.open(location)) {
            assertThat(store.all()).extracting(o -> o.withId(0)).containsExactlyElementsOf(Observations.numbers(0, 3));
        }
    }

    /** Flyway's record of what it applied, one "version:description:success" per row (version null for markers). */
    private static List<String> schemaHistory(StoreLocation location) throws SQLException {
        try (Connection c = StoreDataSources.create(location).getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT \"version\", \"description\", \"success\""
                        + " FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"")) {
            List<String> history = new ArrayList<>();
            while (rows.next()) {
                history.add(rows.getString(1) + ":" + rows.getString(2) + ":" + rows.getBoolean(3));
            }
            return history;
        }
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("a plan that does not parse",
                        List.of("UPDATE observation SET plan = 'batching=sometimes' WHERE id = ?"),
                        "column plan: batching 'sometimes' is neither 'none' nor"),
                Arguments.of("a negative latency",
                        List.of("ALTER TABLE observation DROP CONSTRAINT observation_latency_valid",
                                "ALTER TABLE observation DROP CONSTRAINT observation_latency_order",
                                "UPDATE observation SET latency_p50_ms = -1 WHERE id = ?"),
                        "latency p50 (ms) must be >= 0, was -1.0"),
                Arguments.of("p99 below p50",
                        List.of("ALTER TABLE observation DROP CONSTRAINT observation_latency_order",
                                "UPDATE observation SET latency_p99_ms = 0.5 WHERE id = ?"),
                        "latency p99 (0.5 ms) is below p90"),
                Arguments.of("an unknown source",
                        List.of("ALTER TABLE observation DROP CONSTRAINT observation_source_known",
                                "UPDATE observation SET source = 'REPLAY' WHERE id = ?"),
                        "column source: 'REPLAY' is not one of [SWEEP, LIVE]"),
                Arguments.of("a missing value",
                        List.of("ALTER TABLE observation ALTER COLUMN sample_count DROP NOT NULL",
                                "UPDATE observation SET sample_count = NULL WHERE id = ?"),
                        "column sample_count is NULL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aCorruptRowFailsTheReadNamingTheRowAndIsNeverSkipped(String what, List<String> sql, String problem)
            throws Exception {
        StoreLocation location = newLocation();
        try (ObservationStore store = ObservationStore.open(location)) {
            store.appendAll(List.of(Observations.number(0), Observations.number(1), Observations.number(3)));
            List<Long> ids = store.all().stream().map(Observation::id).toList();
            long bad = ids.get(1);
            long last = ids.get(2);
            execute(location, sql.stream().map(statement -> statement.replace("?", Long.toString(bad))).toList());

            for (var read : List.<Runnable>of(store::all, () -> store.since(0), () -> store.since(bad - 1, 1))) {
                assertThatThrownBy(read::run)
                        .isInstanceOf(CorruptHistoryException.class)
                        .hasMessageStartingWith("history row " + bad + " is corrupt: ")
                        .hasMessageContaining(problem)
                        .satisfies(e -> assertThat(((CorruptHistoryException) e).rowId()).isEqualTo(bad));
            }
            assertThat(store.since(bad)).extracting(Observation::id).containsExactly(last);
            assertThat(store.count()).isEqualTo(3);
        }
    }

    @Test
    void concurrentAppendsFromSeveralThreadsLoseNothing() throws Exception {
        int threads = 8;
        int singles = 8;
        int batch = 5;
        try (ObservationStore store = ObservationStore.open(newLocation())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * (singles + batch);
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> ids = new ArrayList<>();
                    for (Observation o : Observations.numbers(first, first + singles)) {
                        ids.add(store.append(o));
                    }
                    store.appendAll(Observations.numbers(first + singles, first + singles + batch));
                    return ids;
                }));
            }
            start.countDown();
            Set<Long> returnedIds = new HashSet<>();
            for (Future<List<Long>> result : results) {
                returnedIds.addAll(result.get(50, TimeUnit.SECONDS));
            }
            pool.shutdown();

            int total = threads * (singles + batch);
            List<Observation> stored = store.all();
            assertThat(store.count()).isEqualTo(total);
            assertThat(returnedIds).hasSize(threads * singles);
            assertThat(stored).extracting(Observation::id).doesNotHaveDuplicates().containsAll(returnedIds);
            assertThat(stored).extracting(o -> o.withId(0))
                    .containsExactlyInAnyOrderElementsOf(Observations.numbers(0, total));
        }
    }

    @Test
    void appendRefusesAnObservationThatAlreadyHasAnIdAndAClosedStoreRefusesCalls() throws Exception {
        ObservationStore store = ObservationStore.open(newLocation());
        long id = store.append(Observations.number(0));
        Observation stored = store.all().get(0);

        assertThatThrownBy(() -> store.append(stored))
                .hasMessage("observation already has id " + id + "; the store assigns ids, append withId(0) to store"
                        + " a copy");
        assertThatThrownBy(() -> store.appendAll(Collections.singletonList(null)))
                .isInstanceOf(NullPointerException.class);
        store.close();
        assertThatThrownBy(store::count).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    /** Runs SQL straight on the database, past the store's checks. */
    static void execute(StoreLocation location, String sql) throws SQLException {
        execute(location, List.of(sql));
    }

    static void execute(StoreLocation location, List<String> statements) throws SQLException {
        try (Connection c = StoreDataSources.create(location).getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
