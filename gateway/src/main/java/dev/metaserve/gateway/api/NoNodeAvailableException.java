package dev.metaserve.gateway.api;

/** No live node can take the request now. Maps to 503 / UNAVAILABLE. */
public class NoNodeAvailableException extends RuntimeException {
    public NoNodeAvailableException(String message) {
        super(message);
    }
}
