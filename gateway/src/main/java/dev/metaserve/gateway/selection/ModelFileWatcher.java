package dev.metaserve.gateway.selection;

import dev.metaserve.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Puts a retrained model in service when {@code gateway.selector.model-file} changes (its modification time or size),
 * checked every {@code gateway.selector.reload-interval}. Polling rather than a file-system watch: it works the same on
 * a mounted volume (a Kubernetes ConfigMap or PVC), where watch events are not reliable. A file that fails to load is
 * tried again only once it changes again. Write the new model next to the file and move it over it, so that a check
 * never sees half a file (a half file is refused anyway, by its checksum).
 */
@ApplicationScoped
public class ModelFileWatcher {
    private final Optional<Path> file;
    private final PlanSelector selector;
    /** Modification time and size of the file last seen; guarded by this. */
    private String lastSeen;

    public ModelFileWatcher(GatewayConfig config, PlanSelector selector) {
        this.file = config.selector().modelFile();
        this.selector = selector;
        this.lastSeen = file.map(ModelFileWatcher::fingerprint).orElse(null);
    }

    @Scheduled(every = "${gateway.selector.reload-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "selector-model-reload")
    synchronized void check() {
        if (file.isEmpty()) {
            return;
        }
        String now = fingerprint(file.get());
        if (now == null || now.equals(lastSeen)) {
            return; // missing (being replaced, or never there), or unchanged
        }
        lastSeen = now;
        selector.reload(file.get());
    }

    private static String fingerprint(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() + "/" + attributes.size();
        } catch (IOException e) {
            return null;
        }
    }
}
