package dev.metaserve.bench.sweep;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import io.grpc.Channel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Greedy generation requests (temperature 0) to one node under one decoding: request {@code i} continues prompt
 * {@code i} of the pool (wrapping around) by the workload's output tokens, streamed over NodeInference/Generate. The
 * first tokens each prompt gets back are kept, to compare with plain decoding's.
 */
final class GenerationCalls implements ClosedLoop.Call {
    private static final long DEADLINE_SECONDS = 300;

    private final NodeInferenceGrpc.NodeInferenceBlockingStub stub;
    private final Workload workload;
    private final Plan plan;
    private final Map<Integer, int[]> firstTokens = new ConcurrentHashMap<>();

    GenerationCalls(Channel channel, Workload workload, Plan plan) {
        this.stub = NodeInferenceGrpc.newBlockingStub(channel);
        this.workload = workload;
        this.plan = plan;
    }

    @Override
    public long send(int index) {
        int prompt = Math.floorMod(index, workload.pool().size());
        int[] tokens = generate(stub, workload, plan, prompt);
        firstTokens.putIfAbsent(prompt, tokens);
        return tokens.length;
    }

    /** The first tokens each prompt got, by its index in the pool. */
    Map<Integer, int[]> firstTokens() {
        return firstTokens;
    }

    /** Plain decoding of every prompt, one at a time: what the other decodings' tokens are compared with. */
    static int[][] reference(Channel channel, Workload workload) {
        NodeInferenceGrpc.NodeInferenceBlockingStub stub = NodeInferenceGrpc.newBlockingStub(channel);
        int[][] tokens = new int[workload.pool().size()][];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = generate(stub, workload, Plan.DEFAULT, i);
        }
        return tokens;
    }

    private static int[] generate(NodeInferenceGrpc.NodeInferenceBlockingStub stub, Workload workload, Plan plan,
                                  int prompt) {
        Iterator<GenerateResponse> chunks = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .generate(GenerateRequest.newBuilder()
                        .setModel(workload.model())
                        .setPrompt(workload.pool().text(prompt))
                        .setMaxTokens(workload.outputTokens())
                        .setTemperature(0)
                        .setPlan("decoding=" + plan.decoding())
                        .build());
        int[] tokens = new int[workload.outputTokens()];
        int count = 0;
        GenerateResponse last = null;
        while (chunks.hasNext()) {
            last = chunks.next();
            for (int id : last.getTokenIdsList()) {
                if (count == tokens.length) {
                    throw new IllegalStateException("node sent more than the " + tokens.length + " tokens asked for");
                }
                tokens[count++] = id;
            }
        }
        if (last == null || !last.hasUsage()) {
            throw new IllegalStateException("the generation stream ended without usage");
        }
        return Arrays.copyOf(tokens, count);
    }
}
