package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.metaserve.api.generate.GenerateResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/chat/completions}: a {@code chat.completion} with the assistant's message, or {@code chat.completion.chunk}
 * events: the role first, then the content as it comes, then an empty delta with the finish reason and usage.
 */
final class ChatCompletionShape implements CompletionShape {
    static final String OBJECT = "chat.completion";
    static final String CHUNK = "chat.completion.chunk";

    @Override
    public String idPrefix() {
        return "chatcmpl-";
    }

    @Override
    public ObjectNode whole(Header header, String text, GenerateResponse last) {
        ObjectNode body = header.start(OBJECT);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", last.getFinishReason()).putNull("logprobs");
        CompletionShape.addUsage(body, last);
        return body;
    }

    @Override
    public List<ObjectNode> events(Header header, GenerateResponse chunk, boolean first) {
        List<ObjectNode> events = new ArrayList<>(3);
        if (first) {
            events.add(event(header, "role", "assistant", null));
        }
        if (!chunk.getText().isEmpty()) {
            events.add(event(header, "content", chunk.getText(), null));
        }
        if (CompletionShape.isLast(chunk)) {
            ObjectNode finish = event(header, null, null, chunk.getFinishReason());
            CompletionShape.addUsage(finish, chunk);
            events.add(finish);
        }
        return events;
    }

    /** A chunk whose delta holds {@code field: value}, or nothing when {@code field} is null. */
    private static ObjectNode event(Header header, String field, String value, String finishReason) {
        ObjectNode event = header.start(CHUNK);
        ObjectNode choice = event.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (field != null) {
            delta.put(field, value);
        }
        choice.put("finish_reason", finishReason).putNull("logprobs");
        return event;
    }
}
