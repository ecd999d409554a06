package dev.metaserve.selector.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store on a real PostgreSQL server, started for this class by {@link TestPostgres}. */
class PostgresObservationStoreTest extends ObservationStoreContract {
    private static TestPostgres postgres;
    private static int schemas;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start().orElse(null);
    }

    @BeforeEach
    void skipWhenPostgresIsOptionalAndMissing() {
        assumeTrue(postgres != null, () -> TestPostgres.missingBinaries() + "; skipped because -D"
                + TestPostgres.OPTIONAL_PROPERTY + "=true");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected StoreLocation newLocation() throws Exception {
        return StoreLocation.jdbc(postgres.createSchema("history_" + schemas++), postgres.user(), null);
    }

    @Override
    protected void restartDatabase() throws Exception {
        postgres.restart();
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsTheOpenNamingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/history";

        assertThatThrownBy(() -> ObservationStore.open(StoreLocation.jdbc(url, "metaserve", "secret")))
                .isInstanceOf(HistoryStoreException.class)
                .hasMessageStartingWith("cannot open the history store (PostgreSQL " + url + " as metaserve): ")
                .hasMessageNotContaining("secret");
    }
}
