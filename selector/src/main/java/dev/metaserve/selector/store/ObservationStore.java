package dev.metaserve.selector.store;

import dev.metaserve.accelerators.Plan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * The performance history: observations appended by sweeps and by the gateway, read back by the selector's training.
 * Opening it brings the schema up to date (Flyway). Safe for use from many threads: every call takes its own
 * connection and transaction, so appends from several threads need no lock here.
 *
 * <p>Every read checks every row; a row that is not a valid observation fails the read with a
 * {@link CorruptHistoryException} naming it, and is never skipped.
 */
public final class ObservationStore implements AutoCloseable {
    /** Rows sent to the database in one JDBC batch by {@link #appendAll}. */
    private static final int BATCH_ROWS = 500;

    private final StoreLocation location;
    private final DataSource dataSource;
    /**
     * Embedded only: a connection held open for the store's lifetime, so the H2 database stays open between calls
     * (H2 closes a database with its last connection) and every call's connection is cheap.
     */
    private final Connection embeddedHold;
    private volatile boolean closed;

    private ObservationStore(StoreLocation location, DataSource dataSource, Connection embeddedHold) {
        this.location = location;
        this.dataSource = dataSource;
        this.embeddedHold = embeddedHold;
    }

    /**
     * Opens the store at a location, creating the database (embedded) and the schema when missing and applying
     * migrations it has not seen.
     *
     * @throws HistoryStoreException when the database cannot be reached or opened (e.g. the embedded file is in use
     *                               by another process) or a migration fails
     */
    public static ObservationStore open(StoreLocation location) {
        Objects.requireNonNull(location, "history store location must not be null");
        DataSource dataSource = StoreDataSources.create(location);
        Connection hold = null;
        try {
            if (location instanceof StoreLocation.Embedded) {
                hold = dataSource.getConnection();
            }
            SchemaMigrations.migrate(dataSource);
            return new ObservationStore(location, dataSource, hold);
        } catch (SQLException | FlywayException e) {
            closeQuietly(hold, e);
            throw new HistoryStoreException("cannot open the history store (" + location + "): " + e.getMessage(), e);
        }
    }

    /** Where this store keeps its rows. */
    public StoreLocation location() {
        return location;
    }

    /**
     * Stores one observation.
     *
     * @param observation a new observation: its id must be 0
     * @return the id the store gave it
     */
    public long append(Observation observation) {
        requireNew(observation);
        try (Connection connection = connect();
                PreparedStatement insert = connection.prepareStatement(ObservationTable.INSERT,
                        Statement.RETURN_GENERATED_KEYS)) {
            ObservationTable.bind(insert, observation);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for the new row");
                }
                return keys.getLong("id");
            }
        } catch (SQLException e) {
            throw failure("append an observation", e);
        }
    }

    /** Stores all observations (ids 0) in one transaction: all of them or, on failure, none. */
    public void appendAll(List<Observation> observations) {
        Objects.requireNonNull(observations, "observations must not be null");
        observations.forEach(ObservationStore::requireNew);
        if (observations.isEmpty()) {
            return;
        }
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(ObservationTable.INSERT)) {
                for (int i = 0; i < observations.size(); i++) {
                    ObservationTable.bind(insert, observations.get(i));
                    insert.addBatch();
                    if ((i + 1) % BATCH_ROWS == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("append " + observations.size() + " observations", e);
        }
    }

    /**
     * Every observation, oldest id first.
     *
     * @throws CorruptHistoryException when a row is not a valid observation
     */
    public List<Observation> all() {
        return query("read the history", ObservationTable.SELECT_ALL, statement -> { });
    }

    /**
     * The observations with ids above {@code afterId}, in id order: what was added since a training run or sweep
     * last read up to {@code afterId}. {@code since(0)} is {@link #all()}.
     *
     * @throws CorruptHistoryException when a row is not a valid observation
     */
    public List<Observation> since(long afterId) {
        return query("read the history after id " + afterId, ObservationTable.SELECT_AFTER,
                statement -> statement.setLong(1, afterId));
    }

    /**
     * At most {@code maxRows} observations with ids above {@code afterId}, in id order: one page of
     * {@link #since(long)}; the next page starts after the last id returned.
     */
    public List<Observation> since(long afterId, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("max rows must be >= 1, was " + maxRows);
        }
        return query("read the history after id " + afterId, ObservationTable.SELECT_AFTER_LIMITED, statement -> {
            statement.setLong(1, afterId);
            statement.setInt(2, maxRows);
        });
    }

    /** How many observations the store holds. */
    public long count() {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(ObservationTable.COUNT);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw failure("count observations", e);
        }
    }

    /**
     * Whether an observation of this task and plan on this hardware from this source is stored, so that a resumed
     * sweep skips cells it already measured. Hardware matches on node id, threads, cores, memory limit and network
     * delay; its free-text description is ignored.
     */
    public boolean contains(TaskProfile task, Plan plan, HardwareProfile hardware, Source source) {
        return count(task, plan, hardware, source) > 0;
    }

    /**
     * How many observations of this task and plan on this hardware from this source are stored (hardware matched as
     * by {@link #contains}), so that a sweep that measures each cell several times resumes by counting them.
     */
    public long count(TaskProfile task, Plan plan, HardwareProfile hardware, Source source) {
        Objects.requireNonNull(task, "task profile must not be null");
        Objects.requireNonNull(plan, "plan must not be null");
        Objects.requireNonNull(hardware, "hardware profile must not be null");
        Objects.requireNonNull(source, "source must not be null");
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(ObservationTable.COUNT_KEY)) {
            ObservationTable.bindKey(statement, task, plan, hardware, source);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("count observations of a key", e);
        }
    }

    /** Closes the store; the embedded database file is closed and released for other processes. */
    @Override
    public void close() {
        closed = true;
        if (embeddedHold != null) {
            try {
                embeddedHold.close();
            } catch (SQLException e) {
                throw failure("close", e);
            }
        }
    }

    @Override
    public String toString() {
        return "ObservationStore[" + location + "]";
    }

    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    private List<Observation> query(String action, String sql, Parameters parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            List<Observation> observations = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    observations.add(ObservationTable.read(rows));
                }
            }
            return observations;
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private Connection connect() throws SQLException {
        if (closed) {
            throw new IllegalStateException("the history store (" + location + ") is closed");
        }
        return dataSource.getConnection();
    }

    private HistoryStoreException failure(String action, SQLException e) {
        return new HistoryStoreException("history store (" + location + "): cannot " + action + ": "
                + e.getMessage(), e);
    }

    private static void requireNew(Observation observation) {
        Objects.requireNonNull(observation, "observation must not be null");
        if (observation.id() != 0) {
            throw new IllegalArgumentException("observation already has id " + observation.id()
                    + "; the store assigns ids, append withId(0) to store a copy");
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
