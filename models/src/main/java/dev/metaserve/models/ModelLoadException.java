package dev.metaserve.models;

/** A model or its tokenizer could not be loaded (missing resource, runtime refused the file). */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
