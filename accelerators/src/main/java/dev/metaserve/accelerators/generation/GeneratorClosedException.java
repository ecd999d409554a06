package dev.metaserve.accelerators.generation;

/** The generator was closed: it takes no new jobs, and the jobs it was running or holding end with this error. */
public class GeneratorClosedException extends IllegalStateException {
    public GeneratorClosedException() {
        super("the generator is closed");
    }
}
