package dev.metaserve.bench.sweep;

import com.google.protobuf.ByteString;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import io.grpc.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Embedding requests to one node under one plan: request {@code i} carries texts {@code i*k ... i*k+k-1} of the pool
 * (k texts per request, wrapping around). The first vector each pool text gets back is kept, to measure the plan's
 * quality against the fp32 reference.
 */
final class EmbeddingCalls implements ClosedLoop.Call {
    private static final long DEADLINE_SECONDS = 120;

    private final NodeInferenceGrpc.NodeInferenceBlockingStub stub;
    private final Workload workload;
    private final Plan plan;
    private final Map<Integer, float[]> firstVectors = new ConcurrentHashMap<>();

    EmbeddingCalls(Channel channel, Workload workload, Plan plan) {
        this.stub = NodeInferenceGrpc.newBlockingStub(channel);
        this.workload = workload;
        this.plan = plan;
    }

    @Override
    public long send(int index) {
        int k = workload.textsPerRequest();
        int first = index * k;
        float[][] vectors = embed(stub, workload.model(), plan, workload.pool(), first, k);
        for (int j = 0; j < k; j++) {
            firstVectors.putIfAbsent(Math.floorMod(first + j, workload.pool().size()), vectors[j]);
        }
        return 0;
    }

    /** The first vector each pool text got, by its index in the pool. */
    Map<Integer, float[]> firstVectors() {
        return firstVectors;
    }

    /** Every text of the pool alone, fp32 without batching: what the plans' vectors are compared with. */
    static float[][] reference(Channel channel, String model, TextPool pool) {
        NodeInferenceGrpc.NodeInferenceBlockingStub stub = NodeInferenceGrpc.newBlockingStub(channel);
        float[][] vectors = new float[pool.size()][];
        for (int i = 0; i < pool.size(); i++) {
            vectors[i] = embed(stub, model, Plan.DEFAULT, pool, i, 1)[0];
        }
        return vectors;
    }

    private static float[][] embed(NodeInferenceGrpc.NodeInferenceBlockingStub stub, String model, Plan plan,
                                   TextPool pool, int first, int count) {
        InferTensorContents.Builder texts = InferTensorContents.newBuilder();
        for (int j = 0; j < count; j++) {
            texts.addBytesContents(ByteString.copyFromUtf8(pool.text(first + j)));
        }
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName(model)
                .putParameters("batching", InferParameter.newBuilder().setStringParam(plan.batching().toString()).build())
                .putParameters("precision", InferParameter.newBuilder()
                        .setStringParam(plan.precision().toString()).build())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("text").setDatatype("BYTES").addShape(count).setContents(texts))
                .build();
        ModelInferResponse response = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).infer(request);
        float[] flat = Tensors.floats(response.getRawOutputContents(0));
        int rows = (int) response.getOutputs(0).getShape(0);
        int dimension = (int) response.getOutputs(0).getShape(1);
        if (rows != count) {
            throw new IllegalStateException("node answered " + rows + " vectors for " + count + " texts");
        }
        float[][] vectors = new float[rows][dimension];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * dimension, vectors[r], 0, dimension);
        }
        return vectors;
    }
}
