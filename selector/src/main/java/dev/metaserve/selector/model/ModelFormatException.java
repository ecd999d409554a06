package dev.metaserve.selector.model;

/** A selector model file that cannot be used: not a model, another format version, truncated or corrupt. */
public final class ModelFormatException extends Exception {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
