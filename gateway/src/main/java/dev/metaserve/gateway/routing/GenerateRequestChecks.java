package dev.metaserve.gateway.routing;

import dev.metaserve.gateway.selection.RequestPreferences;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.generate.GenerateRequest;

/**
 * What the gateway can check in a generation request without the model's tokenizer, with the node's wording; the
 * node checks again, and alone knows whether the prompt fits the context or the plan's decoding can run.
 */
public final class GenerateRequestChecks {
    public static final int MAX_STOPS = 4;

    private GenerateRequestChecks() {}

    /** @throws InvalidRequestException naming the field */
    public static void check(GenerateRequest request) {
        if (request.getModel().isBlank()) {
            throw new InvalidRequestException("'model' must be a non-empty string");
        }
        if (request.getMaxTokens() < 0) {
            throw new InvalidRequestException("'max_tokens' must be at least 1, was " + request.getMaxTokens());
        }
        if (request.hasTemperature() && !(request.getTemperature() >= 0 && request.getTemperature() <= 2)) {
            throw new InvalidRequestException("'temperature' must be in [0, 2], was " + request.getTemperature());
        }
        if (request.hasTopP() && !(request.getTopP() > 0 && request.getTopP() <= 1)) {
            throw new InvalidRequestException("'top_p' must be in (0, 1], was " + request.getTopP());
        }
        if (request.getStopCount() > MAX_STOPS) {
            throw new InvalidRequestException("'stop' holds " + request.getStopCount() + " sequences; at most "
                    + MAX_STOPS + " are allowed");
        }
        for (int i = 0; i < request.getStopCount(); i++) {
            if (request.getStop(i).isEmpty()) {
                throw new InvalidRequestException("'stop' sequence " + i + " is empty");
            }
        }
        if (!request.getObjective().isEmpty()) {
            RequestPreferences.objective(request.getObjective(), "'objective'");
        }
        if (request.hasQualityTolerance()
                && !(Double.isFinite(request.getQualityTolerance()) && request.getQualityTolerance() >= 0)) {
            throw new InvalidRequestException("'quality_tolerance' must be a number >= 0, was "
                    + request.getQualityTolerance());
        }
    }
}
