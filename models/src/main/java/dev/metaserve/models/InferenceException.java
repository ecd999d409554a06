package dev.metaserve.models;

/** The runtime failed while running a model on input that had been accepted. */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
