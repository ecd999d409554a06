package dev.metaserve.selector.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model in service, swapped whole: a new file replaces it only when it loads completely; a file that fails to
 * load is refused with its {@link ModelFormatException} and the current model keeps serving.
 */
public final class CurrentModel {
    private final AtomicReference<SelectorModel> current;

    public CurrentModel(SelectorModel initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial model must not be null"));
    }

    public SelectorModel get() {
        return current.get();
    }

    /**
     * Loads a model file and puts it in service.
     *
     * @return the model now in service
     * @throws ModelFormatException when the file cannot be used; the model in service is unchanged
     */
    public SelectorModel reload(Path file) throws ModelFormatException {
        SelectorModel next = SelectorModelFile.read(file);
        current.set(next);
        return next;
    }
}
