package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.gateway.routing.GenerateRequestChecks;
import java.math.BigInteger;
import java.util.List;

/**
 * The fields {@code /v1/completions} and {@code /v1/chat/completions} share, read into a {@link GenerateRequest}:
 * {@code model}, {@code max_tokens} (or its newer name {@code max_completion_tokens}), {@code temperature},
 * {@code top_p}, {@code seed}, {@code stop} (a string or up to four; absent, the endpoint's default, which for chat is
 * the template's turn markers), {@code n} (1 only), {@code stream}, and our extensions {@code plan} (e.g.
 * {@code "decoding=draft(4)"}), {@code objective} and {@code quality_tolerance} (for the selector). Other fields OpenAI clients send are ignored. Each bad field is refused with a message
 * naming it; numbers are checked as sent, before they are narrowed to the request's int and float fields.
 */
final class GenerationParams {
    private GenerationParams() {}

    /** A checked body: the request for the node, and whether the client wants server-sent events. */
    record Parsed(GenerateRequest request, boolean stream) {}

    static Parsed read(JsonNode body, String prompt) {
        return read(body, prompt, List.of());
    }

    /** @param defaultStops the stop sequences when the body has no {@code stop} (a chat's turn markers) */
    static Parsed read(JsonNode body, String prompt, List<String> defaultStops) {
        GenerateRequest.Builder request = GenerateRequest.newBuilder().setModel(model(body)).setPrompt(prompt);
        Integer maxTokens = maxTokens(body);
        if (maxTokens != null) {
            request.setMaxTokens(maxTokens);
        }
        JsonNode temperature = present(body, "temperature");
        if (temperature != null) {
            double value = number(temperature, "temperature");
            // checked as sent: as a float, 2.0000001 would become 2 and pass
            if (!(value >= 0 && value <= 2)) {
                throw new InvalidRequestException("'temperature' must be in [0, 2], was " + temperature);
            }
            request.setTemperature((float) value);
        }
        JsonNode topP = present(body, "top_p");
        if (topP != null) {
            double value = number(topP, "top_p");
            if (!(value > 0 && value <= 1)) {
                throw new InvalidRequestException("'top_p' must be in (0, 1], was " + topP);
            }
            // a value below the smallest float (1e-50, say) keeps, like any tiny one, only the likeliest token
            request.setTopP(Math.max((float) value, Float.MIN_VALUE));
        }
        JsonNode seed = present(body, "seed");
        if (seed != null) {
            long value = integer(seed, "seed");
            if (value < 0) {
                throw new InvalidRequestException("'seed' must be a non-negative integer, was " + seed);
            }
            request.setSeed(value);
        }
        JsonNode stop = present(body, "stop");
        if (stop == null) {
            defaultStops.forEach(request::addStop);
        } else {
            readStops(stop, request);
        }
        JsonNode n = present(body, "n");
        if (n != null && (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() != 1)) {
            throw new InvalidRequestException("'n' must be 1: this server returns one choice per request, was " + n);
        }
        JsonNode plan = present(body, "plan");
        if (plan != null) {
            if (!plan.isTextual()) {
                throw new InvalidRequestException("'plan' must be a string such as \"decoding=draft(4)\", was " + plan);
            }
            request.setPlan(plan.asText());
        }
        JsonNode objective = present(body, "objective");
        if (objective != null) {
            if (!objective.isTextual()) {
                throw new InvalidRequestException("'objective' must be \"latency\" or \"throughput\", was " + objective);
            }
            request.setObjective(objective.asText());
        }
        JsonNode tolerance = present(body, "quality_tolerance");
        if (tolerance != null) {
            if (!tolerance.isNumber()) {
                throw new InvalidRequestException("'quality_tolerance' must be a number >= 0, was " + tolerance);
            }
            request.setQualityTolerance(tolerance.asDouble());
        }
        boolean stream = false;
        JsonNode streamNode = present(body, "stream");
        if (streamNode != null) {
            if (!streamNode.isBoolean()) {
                throw new InvalidRequestException("'stream' must be true or false, was " + streamNode);
            }
            stream = streamNode.asBoolean();
        }
        GenerateRequest checked = request.build();
        GenerateRequestChecks.check(checked);
        return new Parsed(checked, stream);
    }

    /**
     * {@code max_tokens}, or its newer name {@code max_completion_tokens}; null when neither is given. Both may be given
     * only with the same value.
     */
    private static Integer maxTokens(JsonNode body) {
        Integer maxTokens = positiveInt(present(body, "max_tokens"), "max_tokens");
        Integer maxCompletionTokens = positiveInt(present(body, "max_completion_tokens"), "max_completion_tokens");
        if (maxTokens != null && maxCompletionTokens != null && !maxTokens.equals(maxCompletionTokens)) {
            throw new InvalidRequestException("'max_tokens' (" + maxTokens + ") and 'max_completion_tokens' ("
                    + maxCompletionTokens + ") are the same setting and differ; send one of them");
        }
        return maxTokens != null ? maxTokens : maxCompletionTokens;
    }

    private static Integer positiveInt(JsonNode value, String field) {
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidRequestException("'" + field + "' must be an integer, was " + value);
        }
        BigInteger number = value.bigIntegerValue();
        if (number.signum() < 1) {
            throw new InvalidRequestException("'" + field + "' must be at least 1, was " + value);
        }
        if (number.bitLength() > 31) {
            throw new InvalidRequestException("'" + field + "' is too large: at most " + Integer.MAX_VALUE + ", was "
                    + value);
        }
        return number.intValue();
    }

    static void requireObject(JsonNode body, String required) {
        if (!body.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object with 'model' and '" + required + "'");
        }
    }

    private static String model(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new InvalidRequestException("'model' must be a non-empty string");
        }
        return model.asText();
    }

    private static void readStops(JsonNode stop, GenerateRequest.Builder request) {
        if (stop == null) {
            return;
        }
        if (stop.isTextual()) {
            request.addStop(stop.asText());
            return;
        }
        if (!stop.isArray()) {
            throw new InvalidRequestException("'stop' must be a string or an array of strings, was " + stop.getNodeType());
        }
        for (JsonNode element : stop) {
            if (!element.isTextual()) {
                throw new InvalidRequestException("'stop' element " + request.getStopCount() + " is not a string");
            }
            request.addStop(element.asText());
        }
    }

    /** The field's value, or null when it is absent or JSON null (both mean: the default). */
    private static JsonNode present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static double number(JsonNode value, String field) {
        if (!value.isNumber()) {
            throw new InvalidRequestException("'" + field + "' must be a number, was " + value);
        }
        return value.asDouble();
    }

    private static long integer(JsonNode value, String field) {
        if (!value.isIntegralNumber()) {
            throw new InvalidRequestException("'" + field + "' must be an integer, was " + value);
        }
        if (!value.canConvertToLong()) {
            throw new InvalidRequestException("'" + field + "' is too " + (value.bigIntegerValue().signum() < 0
                    ? "small" : "large") + ": it must fit in 64 bits, was " + value);
        }
        return value.asLong();
    }
}
