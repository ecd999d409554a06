package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.api.InvalidRequestException;

/** A checked {@code POST /v1/completions} body: {@code prompt} (a string, or an array of one) and the shared fields. */
final class CompletionRequest {
    private CompletionRequest() {}

    static GenerationParams.Parsed parse(JsonNode body) {
        GenerationParams.requireObject(body, "prompt");
        return GenerationParams.read(body, prompt(body.get("prompt")));
    }

    private static String prompt(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            throw new InvalidRequestException("'prompt' is required: a string");
        }
        if (prompt.isTextual()) {
            return prompt.asText();
        }
        if (!prompt.isArray()) {
            throw new InvalidRequestException("'prompt' must be a string or an array of one string, not "
                    + prompt.getNodeType());
        }
        if (prompt.isEmpty()) {
            throw new InvalidRequestException("'prompt' is an empty array");
        }
        JsonNode first = prompt.get(0);
        if (first.isNumber() || first.isArray()) {
            throw new InvalidRequestException("'prompt' holds token ids; this server completes text only, send a"
                    + " string");
        }
        if (prompt.size() > 1) {
            throw new InvalidRequestException("'prompt' holds " + prompt.size() + " prompts; this server completes"
                    + " one prompt per request");
        }
        if (!first.isTextual()) {
            throw new InvalidRequestException("'prompt' element 0 is not a string");
        }
        return first.asText();
    }
}
