package dev.metaserve.selector.store;

import dev.metaserve.accelerators.Plan;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

/** The mapping between {@link Observation} and table {@code observation}: its SQL, and rows written and read. */
final class ObservationTable {
    /** Every column but {@code id}, in the order {@link #bind} sets them. */
    private static final List<String> COLUMNS = List.of(
            "model", "task_kind", "input_kind", "input_tokens", "output_tokens", "texts_per_request", "concurrency", "objective", "quality_tolerance",
            "plan",
            "node_id", "intra_op_threads", "cpu_cores", "memory_limit_mb", "network_delay_ms", "hardware_description",
            "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "throughput_rps", "tokens_per_second",
            "quality_delta", "sample_count",
            "observed_at", "source");

    static final String INSERT = "INSERT INTO observation (" + String.join(", ", COLUMNS) + ") VALUES ("
            + String.join(", ", Collections.nCopies(COLUMNS.size(), "?")) + ")";
    private static final String SELECT = "SELECT id, " + String.join(", ", COLUMNS) + " FROM observation";
    static final String SELECT_ALL = SELECT + " ORDER BY id";
    static final String SELECT_AFTER = SELECT + " WHERE id > ? ORDER BY id";
    static final String SELECT_AFTER_LIMITED = SELECT_AFTER + " LIMIT ?";
    static final String COUNT = "SELECT COUNT(*) FROM observation";
    /** Matches task, plan, source and the hardware's numbers; the hardware's free-text description is left out. */
    static final String COUNT_KEY = "SELECT COUNT(*) FROM observation WHERE model = ? AND task_kind = ? AND input_kind = ?"
            + " AND input_tokens = ? AND output_tokens = ? AND texts_per_request = ? AND concurrency = ? AND objective = ? AND quality_tolerance = ? AND plan = ?"
            + " AND node_id = ? AND intra_op_threads = ? AND cpu_cores = ? AND memory_limit_mb = ?"
            + " AND network_delay_ms = ? AND source = ?";

    private ObservationTable() {}

    /** Sets the parameters of {@link #INSERT}. */
    static void bind(PreparedStatement insert, Observation observation) throws SQLException {
        int i = bindTask(insert, 1, observation.task());
        insert.setString(i++, observation.plan().toString());
        HardwareProfile hardware = observation.hardware();
        i = bindHardwareNumbers(insert, i, hardware);
        insert.setString(i++, hardware.description());
        Measurement m = observation.measurement();
        insert.setDouble(i++, m.latencyP50Ms());
        insert.setDouble(i++, m.latencyP90Ms());
        insert.setDouble(i++, m.latencyP99Ms());
        insert.setDouble(i++, m.throughputPerSecond());
        insert.setDouble(i++, m.tokensPerSecond());
        insert.setDouble(i++, m.qualityDelta());
        insert.setInt(i++, m.sampleCount());
        insert.setObject(i++, OffsetDateTime.ofInstant(observation.observedAt(), ZoneOffset.UTC));
        insert.setString(i, observation.source().name());
    }

    /** Sets the parameters of {@link #COUNT_KEY}. */
    static void bindKey(PreparedStatement query, TaskProfile task, Plan plan, HardwareProfile hardware, Source source)
            throws SQLException {
        int i = bindTask(query, 1, task);
        query.setString(i++, plan.toString());
        i = bindHardwareNumbers(query, i, hardware);
        query.setString(i, source.name());
    }

    private static int bindTask(PreparedStatement statement, int first, TaskProfile task) throws SQLException {
        int i = first;
        statement.setString(i++, task.model());
        statement.setString(i++, task.taskKind());
        statement.setString(i++, task.inputKind());
        statement.setInt(i++, task.inputTokens());
        statement.setInt(i++, task.outputTokens());
        statement.setInt(i++, task.textsPerRequest());
        statement.setInt(i++, task.concurrency());
        statement.setString(i++, task.objective().name());
        statement.setDouble(i++, task.qualityTolerance());
        return i;
    }

    private static int bindHardwareNumbers(PreparedStatement statement, int first, HardwareProfile hardware)
            throws SQLException {
        int i = first;
        statement.setString(i++, hardware.nodeId());
        statement.setInt(i++, hardware.intraOpThreads());
        statement.setInt(i++, hardware.cpuCores());
        statement.setLong(i++, hardware.memoryLimitMb());
        statement.setInt(i++, hardware.networkDelayMs());
        return i;
    }

    /**
     * Reads the current row of a {@code SELECT} made from {@link #SELECT_ALL} or {@link #SELECT_AFTER}.
     *
     * @throws CorruptHistoryException naming the row and the problem when the row is not a valid observation
     */
    static Observation read(ResultSet row) throws SQLException {
        long id = row.getLong("id");
        RowReader r = new RowReader(row, id);
        String planText = r.text("plan");
        Plan plan;
        try {
            plan = Plan.parse(planText);
        } catch (IllegalArgumentException e) {
            throw r.corrupt("column plan: " + e.getMessage(), e);
        }
        try {
            TaskProfile task = new TaskProfile(r.text("model"), r.text("task_kind"), r.text("input_kind"),
                    r.integer("input_tokens"), r.integer("output_tokens"), r.integer("texts_per_request"),
                    r.integer("concurrency"), r.constant("objective", Objective.class),
                    r.real("quality_tolerance"));
            HardwareProfile hardware = new HardwareProfile(r.text("node_id"), r.integer("intra_op_threads"),
                    r.integer("cpu_cores"), r.bigInteger("memory_limit_mb"), r.integer("network_delay_ms"),
                    r.text("hardware_description"));
            Measurement measurement = new Measurement(r.real("latency_p50_ms"), r.real("latency_p90_ms"),
                    r.real("latency_p99_ms"), r.real("throughput_rps"), r.real("tokens_per_second"),
                    r.real("quality_delta"), r.integer("sample_count"));
            return new Observation(id, task, plan, hardware, measurement, r.instant("observed_at"),
                    r.constant("source", Source.class));
        } catch (IllegalArgumentException e) {
            throw r.corrupt(e.getMessage(), e);
        }
    }
}
