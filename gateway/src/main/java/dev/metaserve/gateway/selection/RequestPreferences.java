package dev.metaserve.gateway.selection;

import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.selector.store.Objective;
import java.util.Locale;

/**
 * What a request asks of the selector: its objective ({@value #OBJECTIVE}: {@code latency} or {@code throughput}) and
 * how much quality it gives up at most ({@value #QUALITY_TOLERANCE}, a number >= 0). KServe requests carry them as
 * parameters; requests without them get the gateway's defaults.
 *
 * @param objective        what to optimise
 * @param qualityTolerance most quality loss versus fp32 accepted
 */
public record RequestPreferences(Objective objective, double qualityTolerance) {
    public static final String OBJECTIVE = "objective";
    public static final String QUALITY_TOLERANCE = "quality_tolerance";

    /** The request's preferences, defaults filling what it leaves out. */
    public static RequestPreferences of(ModelInferRequest request, Objective defaultObjective, double defaultTolerance) {
        InferParameter objective = request.getParametersMap().get(OBJECTIVE);
        InferParameter tolerance = request.getParametersMap().get(QUALITY_TOLERANCE);
        return new RequestPreferences(
                objective == null ? defaultObjective : objective(stringOf(objective), "parameter '" + OBJECTIVE + "'"),
                tolerance == null ? defaultTolerance : tolerance(tolerance));
    }

    /** {@code latency} or {@code throughput}, any case; 400 naming {@code where} otherwise. */
    public static Objective objective(String text, String where) {
        try {
            return Objective.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(where + " must be 'latency' or 'throughput', was '" + text + "'");
        }
    }

    private static String stringOf(InferParameter parameter) {
        if (parameter.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM) {
            throw new InvalidRequestException("parameter '" + OBJECTIVE + "' must be a string_param, 'latency' or"
                    + " 'throughput', was " + parameter.getParameterChoiceCase().name().toLowerCase(Locale.ROOT));
        }
        return parameter.getStringParam();
    }

    private static double tolerance(InferParameter parameter) {
        double value = switch (parameter.getParameterChoiceCase()) {
            case DOUBLE_PARAM -> parameter.getDoubleParam();
            case INT64_PARAM -> parameter.getInt64Param();
            case STRING_PARAM -> {
                try {
                    yield Double.parseDouble(parameter.getStringParam().trim());
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("parameter '" + QUALITY_TOLERANCE + "' must be a number >= 0,"
                            + " was '" + parameter.getStringParam() + "'");
                }
            }
            default -> throw new InvalidRequestException("parameter '" + QUALITY_TOLERANCE + "' must be a number >= 0,"
                    + " was a " + parameter.getParameterChoiceCase().name().toLowerCase(Locale.ROOT));
        };
        if (!Double.isFinite(value) || value < 0) {
            throw new InvalidRequestException("parameter '" + QUALITY_TOLERANCE + "' must be a number >= 0, was "
                    + value);
        }
        return value;
    }
}
