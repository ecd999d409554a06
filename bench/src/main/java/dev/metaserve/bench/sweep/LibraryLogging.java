package dev.metaserve.bench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Quiets what libraries log at INFO through java.util.logging (Flyway's schema messages, DJL's platform and GPU
 * probes, gRPC's transport notes), which would drown the sweep's progress lines. Flyway also warns on every open that
 * H2 2.5 is newer than it was verified with (see selector/README.md), so only its errors are kept. Left alone when
 * java.util.logging is configured explicitly.
 */
public final class LibraryLogging {
    /** Held so the levels set stay in force (java.util.logging keeps loggers only weakly). */
    private static final List<Logger> QUIETED = new ArrayList<>();

    private LibraryLogging() {}

    public static synchronized void quiet() {
        if (System.getProperty("java.util.logging.config.file") != null || !QUIETED.isEmpty()) {
            return;
        }
        set("ai.djl", Level.WARNING);
        set("io.grpc", Level.WARNING);
        set("ai.djl.util.cuda", Level.SEVERE);
        set("org.flywaydb", Level.SEVERE);
    }

    private static void set(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        QUIETED.add(logger);
    }
}
