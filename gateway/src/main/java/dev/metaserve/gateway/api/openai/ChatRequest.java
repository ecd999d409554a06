package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A checked {@code POST /v1/chat/completions} body: {@code messages}, rendered by {@link ChatPrompt}, and the shared
 * fields; without a {@code stop} of the client's, the answer stops at the template's turn markers.
 */
final class ChatRequest {
    private ChatRequest() {}

    static GenerationParams.Parsed parse(JsonNode body) {
        GenerationParams.requireObject(body, "messages");
        return GenerationParams.read(body, ChatPrompt.render(body.get("messages")), ChatPrompt.TURN_MARKERS);
    }
}
