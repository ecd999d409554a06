package dev.metaserve.bench.e2e;

import dev.metaserve.accelerators.Plan;
import java.util.ArrayList;
import java.util.List;

/** Turns a task class under a mode into its clients' request: the texts of request {@code i}, and the plan named. */
final class WorkloadCalls {
    private final GatewayClient client;
    private final long seed;

    WorkloadCalls(GatewayClient client, long seed) {
        this.client = client;
        this.seed = seed;
    }

    /** @param classNumber the class's place in the workload, so random modes draw differently per class */
    MixedLoad.Call call(TaskClass taskClass, int classNumber, Mode mode) {
        Phase phase = taskClass.phase();
        return index -> {
            Plan plan = mode.planFor(phase.plans(), seed, classNumber, index);
            if (phase == Phase.GENERATION) {
                return client.complete(phase.model(), taskClass.pool().text(index), taskClass.outputTokens(), plan);
            }
            int k = taskClass.textsPerRequest();
            List<String> texts = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                texts.add(taskClass.pool().text(index * k + j));
            }
            return client.embed(phase.model(), texts, plan);
        };
    }
}
