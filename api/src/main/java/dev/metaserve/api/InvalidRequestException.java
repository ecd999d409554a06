package dev.metaserve.api;

/** The caller sent something the model cannot take; the message names the problem. Maps to 400 / INVALID_ARGUMENT. */
public class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
