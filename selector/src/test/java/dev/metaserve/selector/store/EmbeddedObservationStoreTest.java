package dev.metaserve.selector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on its embedded H2 file database. */
class EmbeddedObservationStoreTest extends ObservationStoreContract {
    @TempDir
    Path temp;
    private int locations;

    @Override
    protected StoreLocation newLocation() {
        return StoreLocation.embedded(temp.resolve("data-" + locations++));
    }

    @Override
    protected void restartDatabase() {
        // the embedded database closes with its last store; reopening it reads the file again
    }

    @Test
    void theHistoryIsOneFileUnderTheDataDirectory() {
        StoreLocation.Embedded location = StoreLocation.embedded(temp.resolve("nested/data"));
        try (ObservationStore store = ObservationStore.open(location)) {
            store.append(Observations.number(0));
        }
        assertThat(location.databaseFile()).isRegularFile();
        assertThat(temp.resolve("nested/data/history.mv.db")).isEqualTo(location.databaseFile());
    }

    @Test
    void observationsAppendedByAProcessThatIsKilledAreStillThere() throws Exception {
        StoreLocation.Embedded location = StoreLocation.embedded(temp.resolve("killed"));
        Path log = temp.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AppendThenHalt.class.getName(),
                location.dataDirectory().toString(), "12")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(child.waitFor(40, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child exit status; its output: %s", read(log))
                .isEqualTo(AppendThenHalt.HALT_STATUS);

        try (ObservationStore store = ObservationStore.open(location)) {
            assertThat(store.all()).extracting(o -> o.withId(0)).containsExactlyElementsOf(Observations.numbers(0, 12));
        }
    }

    @Test
    void anotherProcessReadsAndAppendsWhileTheOwnerHasTheStoreOpen() throws Exception {
        // what `selector train --from data` does while the gateway writes its history
        StoreLocation.Embedded location = StoreLocation.embedded(temp.resolve("shared"));
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AppendThenHold.class.getName(),
                location.dataDirectory().toString(), "5")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo(AppendThenHold.READY);
            try (ObservationStore reader = ObservationStore.open(location)) {
                assertThat(reader.all()).extracting(o -> o.withId(0))
                        .containsExactlyElementsOf(Observations.numbers(0, 5));
                reader.append(Observations.number(5));
            }
            owner.getOutputStream().close(); // tells the owner to count and close
            assertThat(out.readLine()).isEqualTo("6");
            assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            owner.destroyForcibly();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    /** Run in a child JVM: appends observations one by one, then dies without closing anything. */
    static final class AppendThenHalt {
        static final int HALT_STATUS = 42;

        public static void main(String[] args) {
            ObservationStore store = ObservationStore.open(StoreLocation.embedded(Path.of(args[0])));
            List<Observation> observations = Observations.numbers(0, Integer.parseInt(args[1]));
            observations.forEach(store::append);
            // like kill -9: no close, no shutdown hooks (H2 closes its databases in one)
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }

    /** Opens the store, appends N observations, says {@value #READY}, and holds it open until its stdin closes. */
    public static final class AppendThenHold {
        static final String READY = "ready";

        public static void main(String[] args) throws IOException {
            try (ObservationStore store = ObservationStore.open(StoreLocation.embedded(Path.of(args[0])))) {
                store.appendAll(Observations.numbers(0, Integer.parseInt(args[1])));
                System.out.println(READY);
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close our stdin
                }
                System.out.println(store.count());
                System.out.flush();
            }
        }
    }
}
