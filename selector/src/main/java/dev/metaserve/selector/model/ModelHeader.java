package dev.metaserve.selector.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a model file says about itself before its payload.
 *
 * @param formatVersion        layout of the file; this build reads {@link SelectorModelFile#FORMAT_VERSION}
 * @param modelId              identifies the trained model: {@code sel-} and the first 12 hex digits of the payload's
 *                             SHA-256, so the same training gives the same id
 * @param createdAt            when it was trained
 * @param trainingObservations observations it was trained on
 * @param trainingProblems     selection problems those made
 * @param summary              free text: the source of the data and the settings
 */
public record ModelHeader(int formatVersion, String modelId, Instant createdAt, long trainingObservations,
        int trainingProblems, String summary) {
    public ModelHeader {
        Objects.requireNonNull(modelId, "model header: model id must not be null");
        Objects.requireNonNull(createdAt, "model header: created at must not be null");
        Objects.requireNonNull(summary, "model header: summary must not be null");
    }
}
