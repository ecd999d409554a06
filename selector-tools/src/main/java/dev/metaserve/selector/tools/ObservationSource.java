package dev.metaserve.selector.tools;

import dev.metaserve.selector.store.HistoryStoreException;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationCsv;
import dev.metaserve.selector.store.ObservationStore;
import dev.metaserve.selector.store.StoreLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code --from} reads observations: {@code bundled} (the sweep snapshot in the selector jar), a
 * {@code jdbc:postgresql:} URL (user from {@code --db-user}, password from the environment variable
 * {@value #PASSWORD_VARIABLE}, never from the command line), a directory holding an embedded store
 * ({@code history.mv.db}), or a CSV file written by {@link ObservationCsv}.
 */
final class ObservationSource {
    static final String BUNDLED = "bundled";
    static final String BUNDLED_RESOURCE = "/dev/metaserve/selector/sweep-snapshot.csv";
    static final String PASSWORD_VARIABLE = StoreLocation.PASSWORD_VARIABLE;

    private ObservationSource() {}

    static List<Observation> read(String from, String dbUser) {
        if (from.equals(BUNDLED)) {
            InputStream in = ObservationSource.class.getResourceAsStream(BUNDLED_RESOURCE);
            if (in == null) {
                throw new ToolException("no sweep snapshot is bundled (" + BUNDLED_RESOURCE + " is not on the class"
                        + " path)");
            }
            return csv(in, "bundled snapshot " + BUNDLED_RESOURCE);
        }
        if (from.startsWith("jdbc:")) {
            return store(StoreLocation.jdbc(from, dbUser, System.getenv(PASSWORD_VARIABLE)));
        }
        Path path = Path.of(from);
        if (Files.isDirectory(path)) {
            StoreLocation.Embedded embedded = StoreLocation.embedded(path);
            if (!Files.isRegularFile(embedded.databaseFile())) {
                throw new ToolException("no history store in " + path + " (expected " + embedded.databaseFile()
                        + "); --from takes a store directory, a jdbc:postgresql: URL, a .csv file or 'bundled'");
            }
            return store(embedded);
        }
        if (Files.isRegularFile(path)) {
            try {
                return csv(Files.newInputStream(path), path.toString());
            } catch (IOException e) {
                throw new ToolException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        throw new ToolException("--from " + from + " is neither an existing directory or file, nor a jdbc:postgresql:"
                + " URL, nor 'bundled'");
    }

    private static List<Observation> store(StoreLocation location) {
        try (ObservationStore store = ObservationStore.open(location)) {
            return store.all();
        } catch (HistoryStoreException e) {
            throw new ToolException(e.getMessage(), e);
        }
    }

    private static List<Observation> csv(InputStream in, String name) {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return ObservationCsv.read(reader);
        } catch (IOException e) {
            throw new ToolException("cannot read " + name + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ToolException(name + ": " + e.getMessage(), e);
        }
    }
}
