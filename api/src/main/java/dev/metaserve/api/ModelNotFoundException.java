package dev.metaserve.api;

/** No model of that name is served. Maps to 404 / NOT_FOUND. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String model) {
        super("unknown model '" + model + "'");
    }
}
