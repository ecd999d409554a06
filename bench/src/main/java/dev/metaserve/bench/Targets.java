package dev.metaserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.metaserve.api.inference.GRPCInferenceServiceGrpc;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.node.NodeInferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The ways a benchmark can reach a model: a node directly, or the gateway over gRPC or REST. */
public final class Targets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Targets() {}

    static ModelInferRequest v2Request(String model, String text, Map<String, String> parameters) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
        parameters.forEach((k, v) -> request.putParameters(k, InferParameter.newBuilder().setStringParam(v).build()));
        return request
                .setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("text").setDatatype("BYTES").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8(text))))
                .build();
    }

    /** Node protocol calls straight to the nodes, taking turns, as a client that knew them would. */
    public static Target nodesDirect(String model, List<String> nodeTargets, Map<String, String> parameters) {
        List<ManagedChannel> channels = nodeTargets.stream()
                .map(t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build()).toList();
        List<NodeInferenceGrpc.NodeInferenceBlockingStub> stubs = channels.stream().map(NodeInferenceGrpc::newBlockingStub).toList();
        AtomicInteger turn = new AtomicInteger();
        return new Target() {
            @Override
            public void call(String text) {
                stubs.get(Math.floorMod(turn.getAndIncrement(), stubs.size()))
                        .withDeadlineAfter(60, TimeUnit.SECONDS).infer(v2Request(model, text, parameters));
            }

            @Override
            public String name() {
                return "node-direct-grpc";
            }

            @Override
            public void close() {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        };
    }

    /** KServe v2 gRPC ModelInfer through the gateway. */
    public static Target gatewayGrpc(String model, String gatewayTarget, String apiKey, Map<String, String> parameters) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(gatewayTarget).usePlaintext().build();
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        if (apiKey != null && !apiKey.isBlank()) {
            io.grpc.Metadata headers = new io.grpc.Metadata();
            headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
            stub = stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        var finalStub = stub;
        return new Target() {
            @Override
            public void call(String text) {
                finalStub.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(v2Request(model, text, parameters));
            }

            @Override
            public String name() {
                return "gateway-grpc";
            }

            @Override
            public void close() {
                channel.shutdownNow();
            }
        };
    }

    /** KServe v2 REST infer through the gateway. */
    public static Target gatewayRest(String model, URI gateway, String apiKey, Map<String, String> parameters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = gateway.resolve("/v2/models/" + model + "/infer");
        return new Target() {
            @Override
            public void call(String text) throws Exception {
                String body = JSON.writeValueAsString(Map.of("parameters", parameters, "inputs", List.of(Map.of(
                        "name", "text", "shape", List.of(1), "datatype", "BYTES", "data", List.of(text)))));
                HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                if (apiKey != null && !apiKey.isBlank()) {
                    request.header("Authorization", "Bearer " + apiKey);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                }
            }

            @Override
            public String name() {
                return "gateway-rest";
            }
        };
    }
}
