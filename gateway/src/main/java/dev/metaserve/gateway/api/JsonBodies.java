package dev.metaserve.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.metaserve.api.InvalidRequestException;
import java.io.IOException;

/** Parses request bodies ourselves, so a malformed one is answered with what is wrong and where. */
public final class JsonBodies {
    private JsonBodies() {}

    public static JsonNode parse(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("request body is empty; expected a JSON object");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new InvalidRequestException("request body is empty; expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new InvalidRequestException("malformed JSON" + (where == null ? "" : " at line " + where.getLineNr()
                    + ", column " + where.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("unreadable request body: " + e.getMessage());
        }
    }
}
