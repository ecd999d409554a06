package dev.metaserve.selector.store;

import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Makes the {@link DataSource} for a {@link StoreLocation}: plain, unpooled connections from the JDBC driver. */
final class StoreDataSources {
    /** How long connecting to PostgreSQL may take before the store gives up. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Longest wait for one answer from PostgreSQL: a read of the whole history included. */
    static final int SOCKET_TIMEOUT_SECONDS = 300;

    private StoreDataSources() {}

    static DataSource create(StoreLocation location) {
        if (location instanceof StoreLocation.Embedded embedded) {
            return h2(embedded);
        }
        return postgres((StoreLocation.Jdbc) location);
    }

    private static DataSource h2(StoreLocation.Embedded location) {
        try {
            Files.createDirectories(location.dataDirectory());
        } catch (IOException e) {
            throw new HistoryStoreException("cannot create the history data directory " + location.dataDirectory()
                    + ": " + e, e);
        }
        String base = location.dataDirectory().toAbsolutePath().resolve("history").toString();
        if (base.contains(";")) {
            // H2 would read what follows a ';' in its URL as settings
            throw new IllegalArgumentException("history data directory must not contain ';': " + base);
        }
        JdbcDataSource dataSource = new JdbcDataSource();
        // WRITE_DELAY=0: a commit reaches the file at once, so an observation outlives a killed process
        // (H2's default keeps up to 500 ms of commits in memory). AUTO_SERVER=TRUE: the process that opens the
        // file first serves it to others on loopback, so `selector train --from data` can read the history while
        // the gateway that writes it runs (an embedded file otherwise has one owner).
        dataSource.setURL("jdbc:h2:file:" + base + ";WRITE_DELAY=0;AUTO_SERVER=TRUE");
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    private static DataSource postgres(StoreLocation.Jdbc location) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(location.url());
        if (location.user() != null) {
            dataSource.setUser(location.user());
        }
        if (location.password() != null) {
            dataSource.setPassword(location.password());
        }
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
        dataSource.setApplicationName("metaserve-selector");
        return dataSource;
    }
}
