package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.metaserve.api.generate.GenerateResponse;
import java.util.List;

/** {@code /v1/completions}: objects {@code text_completion}, each with one choice carrying {@code text}. */
final class TextCompletionShape implements CompletionShape {
    static final String OBJECT = "text_completion";

    @Override
    public String idPrefix() {
        return "cmpl-";
    }

    @Override
    public ObjectNode whole(Header header, String text, GenerateResponse last) {
        ObjectNode body = header.start(OBJECT);
        choice(body, text, last.getFinishReason());
        CompletionShape.addUsage(body, last);
        return body;
    }

    @Override
    public List<ObjectNode> events(Header header, GenerateResponse chunk, boolean first) {
        boolean last = CompletionShape.isLast(chunk);
        if (!last && chunk.getText().isEmpty()) {
            return List.of();
        }
        ObjectNode event = header.start(OBJECT);
        choice(event, chunk.getText(), last ? chunk.getFinishReason() : null);
        if (last) {
            CompletionShape.addUsage(event, chunk);
        }
        return List.of(event);
    }

    private static void choice(ObjectNode target, String text, String finishReason) {
        target.putArray("choices").addObject()
                .put("text", text)
                .put("index", 0)
                .put("finish_reason", finishReason)
                .putNull("logprobs");
    }
}
