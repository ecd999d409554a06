package dev.metaserve.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** What a client of the product does: JSON over HTTP, v2 messages over gRPC. */
final class Clients {
    static final String MODEL = "all-minilm-l6-v2";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Clients() {}

    record Reply(int status, JsonNode body, String raw) {}

    static Reply post(URI base, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return reply(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    static Reply get(URI base, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build();
        return reply(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static Reply reply(HttpResponse<String> response) throws Exception {
        JsonNode body = null;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception notJson) {
            // metrics and the like are text
        }
        return new Reply(response.statusCode(), body, response.body());
    }

    static String v2Request(List<String> texts) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("inputs", List.of(java.util.Map.of(
                "name", "text", "shape", List.of(texts.size()), "datatype", "BYTES", "data", texts))));
    }

    static ModelInferRequest grpcRequest(List<String> texts) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        texts.forEach(t -> contents.addBytesContents(ByteString.copyFromUtf8(t)));
        return ModelInferRequest.newBuilder()
                .setModelName(MODEL)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("text").setDatatype("BYTES").addShape(texts.size()).setContents(contents))
                .build();
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
