package dev.metaserve.selector.store;

import java.nio.file.Path;
import java.util.Objects;

/** Where the history lives: an embedded H2 file under a data directory, or a PostgreSQL database. */
public sealed interface StoreLocation permits StoreLocation.Embedded, StoreLocation.Jdbc {
    /** Environment variable the programs read a PostgreSQL store's password from (never from their arguments). */
    String PASSWORD_VARIABLE = "METASERVE_HISTORY_PASSWORD";

    /** The embedded store: an H2 database in the file {@code <dataDirectory>/history.mv.db}, created when missing. */
    static Embedded embedded(Path dataDirectory) {
        return new Embedded(dataDirectory);
    }

    /**
     * A PostgreSQL database, e.g. {@code jdbc("jdbc:postgresql://db:5432/metaserve", "metaserve", secret)}.
     * User and password may be null when the server needs none or the URL carries them.
     */
    static Jdbc jdbc(String url, String user, String password) {
        return new Jdbc(url, user, password);
    }

    /** @param dataDirectory the directory holding {@code history.mv.db} */
    record Embedded(Path dataDirectory) implements StoreLocation {
        public Embedded {
            Objects.requireNonNull(dataDirectory, "embedded store: data directory must not be null");
        }

        /** The database file H2 writes (H2 adds {@code .mv.db} to the name in its URL). */
        public Path databaseFile() {
            return dataDirectory.resolve("history.mv.db");
        }

        @Override
        public String toString() {
            return "embedded H2 " + databaseFile();
        }
    }

    /** @param url a {@code jdbc:postgresql:} URL */
    record Jdbc(String url, String user, String password) implements StoreLocation {
        static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

        public Jdbc {
            if (url == null || !url.startsWith(POSTGRESQL_PREFIX)) {
                throw new IllegalArgumentException("history store URL '" + url + "' is not a PostgreSQL JDBC URL;"
                        + " expected " + POSTGRESQL_PREFIX + "//HOST:PORT/DATABASE (only PostgreSQL is supported)");
            }
        }

        /** Leaves the password out, so the location can go into logs and messages. */
        @Override
        public String toString() {
            return "PostgreSQL " + url + (user == null ? "" : " as " + user);
        }
    }
}
