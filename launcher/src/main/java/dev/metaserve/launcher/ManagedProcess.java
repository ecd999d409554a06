package dev.metaserve.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One child process whose output goes to a log file, with ways to wait for a line and to stop it. A child still
 * running when this JVM exits (Ctrl-C or SIGTERM while a cluster is still starting, before its owner could register
 * any cleanup) is stopped by a shutdown hook of its own, so no gateway or node outlives the program that started it.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread stopAtExit;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopAtExit = new Thread(() -> {
            try {
                stop(GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-" + name + "-at-exit");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    public static ManagedProcess start(String name, List<String> command, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ManagedProcess(name, process, log);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for a line of the output to match, failing early if the process dies. */
    public String awaitLine(Predicate<String> match, Duration timeout) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            Optional<String> line = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(match).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " did not become ready in " + timeout + "; see " + log);
    }

    /** Waits for the process to end by itself and returns its exit code; kills it after the timeout. */
    public int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IOException(name + " did not finish in " + timeout + "; see " + log);
        }
        forgetAtExit();
        return process.exitValue();
    }

    /** SIGTERM, so the process can deregister and drain; SIGKILL if it takes longer than the grace period. */
    public void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** SIGKILL: the process gets no chance to say goodbye, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(GRACE);
        }
        forgetAtExit();
    }

    /** The process has ended: nothing left for the shutdown hook to do. */
    private void forgetAtExit() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run; stopping an ended process does nothing
        }
    }
}
