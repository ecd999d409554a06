package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.api.InvalidRequestException;
import java.util.List;
import java.util.Locale;

/**
 * Renders chat messages into one prompt. Our models were trained on plain prose (Jane Austen, the King James Bible),
 * not on chat, so the template is plain too, and fixed:
 *
 * <pre>
 * System: {content}
 *
 * User: {content}
 *
 * Assistant: {content}
 *
 * Assistant:
 * </pre>
 *
 * Each message is its role with a capital letter, a colon, a space and its content; messages are separated by one
 * blank line; the prompt ends with a blank line and {@code Assistant:} for the model to continue.
 *
 * <p>The model knows nothing of turns, so it may well go on to write the user's next message itself. Unless the client
 * gives its own {@code stop}, the answer stops where a new turn of the template would begin: at
 * {@link #TURN_MARKERS} ({@code "\n\nUser:"}, {@code "\n\nAssistant:"}, {@code "\n\nSystem:"}).
 */
final class ChatPrompt {
    static final String CUE = "Assistant:";
    private static final String SEPARATOR = "\n\n";
    /** Where a turn begins in the template: the stop sequences of a chat whose client gave none. */
    static final List<String> TURN_MARKERS = List.of(SEPARATOR + "User:", SEPARATOR + CUE, SEPARATOR + "System:");

    private ChatPrompt() {}

    static String render(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw new InvalidRequestException("'messages' is required: an array of {role, content}");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequestException("'messages' must be a non-empty array of {role, content}");
        }
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw new InvalidRequestException("'messages' element " + i + " is not an object");
            }
            String role = role(message.get("role"), i);
            JsonNode content = message.get("content");
            if (content == null || !content.isTextual()) {
                throw new InvalidRequestException("'messages' element " + i + ": 'content' must be a string");
            }
            prompt.append(role).append(": ").append(content.asText()).append(SEPARATOR);
        }
        return prompt.append(CUE).toString();
    }

    private static String role(JsonNode role, int index) {
        String name = role == null || !role.isTextual() ? "" : role.asText();
        return switch (name) {
            case "system", "user", "assistant" -> name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
            default -> throw new InvalidRequestException("'messages' element " + index
                    + ": 'role' must be 'system', 'user' or 'assistant', was " + role);
        };
    }
}
