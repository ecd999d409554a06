package dev.metaserve.selector.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings the schema up to date with Flyway, from the scripts in {@code db/migration} on the classpath. */
final class SchemaMigrations {
    static final String LOCATION = "classpath:db/migration";

    private SchemaMigrations() {}

    /**
     * Applies the migrations the database has not seen; a no-op on an up-to-date schema.
     *
     * @return how many migrations ran
     * @throws org.flywaydb.core.api.FlywayException when a migration fails or an applied one was changed
     */
    static int migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load();
        return flyway.migrate().migrationsExecuted;
    }
}
