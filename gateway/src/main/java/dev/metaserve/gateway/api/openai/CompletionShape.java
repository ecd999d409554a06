package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.generate.Usage;
import java.util.List;

/** How one OpenAI endpoint writes a generation: the whole answer, or the stream events for each node chunk. */
interface CompletionShape {
    /** Prefix of response ids, e.g. {@code cmpl-}. */
    String idPrefix();

    /** The answer to {@code stream: false}: all the text, and the last chunk's finish reason and usage. */
    ObjectNode whole(Header header, String text, GenerateResponse last);

    /** The server-sent events for one node chunk (none for a chunk whose text is held back). */
    List<ObjectNode> events(Header header, GenerateResponse chunk, boolean first);

    /** What every object of one response repeats. */
    record Header(String id, long created, String model) {
        ObjectNode start(String object) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("id", id).put("object", object).put("created", created).put("model", model);
            return node;
        }
    }

    /** OpenAI's usage object, and ours: which node ran it, under which plan, what speculation proposed and kept. */
    static void addUsage(ObjectNode target, GenerateResponse last) {
        Usage usage = last.getUsage();
        target.putObject("usage")
                .put("prompt_tokens", usage.getPromptTokens())
                .put("completion_tokens", usage.getCompletionTokens())
                .put("total_tokens", usage.getPromptTokens() + usage.getCompletionTokens());
        target.putObject("metaserve")
                .put("node_id", last.getNodeId())
                .put("plan", last.getPlan())
                .put("proposed_tokens", usage.getProposedTokens())
                .put("accepted_tokens", usage.getAcceptedTokens())
                .put("target_passes", usage.getTargetPasses());
    }

    static boolean isLast(GenerateResponse chunk) {
        return !chunk.getFinishReason().isEmpty();
    }
}
