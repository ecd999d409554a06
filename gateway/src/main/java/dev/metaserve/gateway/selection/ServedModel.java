package dev.metaserve.gateway.selection;

import dev.metaserve.selector.model.SelectorModel;
import java.time.Instant;

/**
 * The selector model in service and where it came from.
 *
 * @param model    the model
 * @param source   its file, or "bundled"
 * @param loadedAt when it was put in service
 */
public record ServedModel(SelectorModel model, String source, Instant loadedAt) {
    public String id() {
        return model.header().modelId();
    }
}
