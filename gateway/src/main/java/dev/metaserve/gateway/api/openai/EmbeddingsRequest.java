package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/** A checked {@code POST /v1/embeddings} body: the texts to embed, the model, and how to encode the vectors. */
record EmbeddingsRequest(String model, List<String> texts, boolean base64) {

    static EmbeddingsRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object with 'model' and 'input'");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new InvalidRequestException("'model' must be a non-empty string");
        }
        List<String> texts = texts(body.get("input"));
        JsonNode format = body.get("encoding_format");
        boolean base64 = false;
        if (format != null && !format.isNull()) {
            base64 = switch (format.asText()) {
                case "float" -> false;
                case "base64" -> true;
                default -> throw new InvalidRequestException("'encoding_format' must be 'float' or 'base64', not " + format);
            };
        }
        return new EmbeddingsRequest(model.asText(), texts, base64);
    }

    private static List<String> texts(JsonNode input) {
        if (input == null || input.isNull()) {
            throw new InvalidRequestException("'input' is required: a string or an array of strings");
        }
        if (input.isTextual()) {
            return List.of(nonEmpty(input.asText(), 0));
        }
        if (!input.isArray()) {
            throw new InvalidRequestException("'input' must be a string or an array of strings, not " + input.getNodeType());
        }
        if (input.isEmpty()) {
            throw new InvalidRequestException("'input' is an empty array");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : input) {
            if (element.isNumber() || element.isArray()) {
                throw new InvalidRequestException("'input' holds token ids; this server embeds text only, send strings");
            }
            if (!element.isTextual()) {
                throw new InvalidRequestException("'input' element " + texts.size() + " is not a string");
            }
            texts.add(nonEmpty(element.asText(), texts.size()));
        }
        return texts;
    }

    private static String nonEmpty(String text, int index) {
        if (text.isEmpty()) {
            throw new InvalidRequestException("'input' element " + index + " is an empty string");
        }
        return text;
    }
}
