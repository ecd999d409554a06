package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.StoreLocation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the performance history is: an embedded store's directory, or a PostgreSQL database. */
final class StoreOptions {
    /** Environment variable holding the PostgreSQL password, so that it never appears on a command line. */
    static final String PASSWORD_VARIABLE = StoreLocation.PASSWORD_VARIABLE;

    @Option(names = "--store", defaultValue = "data",
            description = "Directory of the embedded history store (H2 file history.mv.db) (default: ${DEFAULT-VALUE}).")
    Path storeDirectory;

    @Option(names = "--jdbc-url", description = "A PostgreSQL history store instead, e.g."
            + " jdbc:postgresql://127.0.0.1:5432/metaserve; password from $" + PASSWORD_VARIABLE + ".")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "PostgreSQL user (default: the URL's, or the driver's).")
    String jdbcUser;

    StoreLocation location() {
        if (jdbcUrl == null) {
            return StoreLocation.embedded(storeDirectory);
        }
        return StoreLocation.jdbc(jdbcUrl, jdbcUser, System.getenv(PASSWORD_VARIABLE));
    }
}
