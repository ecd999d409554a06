package dev.metaserve.launcher;

import java.nio.file.Path;
import java.util.List;

/** A program that starts one long-running child through {@link ManagedProcess}, prints its pid and waits. */
public final class ChildStarter {
    private ChildStarter() {}

    public static void main(String[] args) throws Exception {
        ManagedProcess child = ManagedProcess.start("sleeper", List.of("sleep", "300"), Path.of(args[0]));
        System.out.println("child " + child.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
