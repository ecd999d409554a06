package dev.metaserve.selector.features;

import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;

/**
 * The textual descriptions that are embedded, e.g. "text-generation with austen-kjv, repetitive input of 128
 * tokens, 64 output tokens, 1 text per request, concurrency 8, optimise latency, on a node with 1 ONNX Runtime
 * thread, 1 core, 20 ms network delay". The quality tolerance is left out: it decides which plans are allowed, not
 * how fast they are, and is a numeric feature where it matters.
 */
public final class Descriptions {
    private Descriptions() {}

    /** The task alone: what task-level methods (the baselines) embed. */
    public static String task(TaskProfile task) {
        StringBuilder s = new StringBuilder(160);
        s.append(task.taskKind()).append(" with ").append(task.model()).append(", ").append(task.inputKind())
                .append(" input of ").append(plural(task.inputTokens(), "token"));
        if (!task.taskKind().equals(TaskProfile.EMBEDDING) || task.outputTokens() > 0) {
            s.append(", ").append(plural(task.outputTokens(), "output token"));
        }
        s.append(", ").append(plural(task.textsPerRequest(), "text")).append(" per request, concurrency ")
                .append(task.concurrency()).append(", optimise ")
                .append(task.objective() == Objective.LATENCY ? "latency" : "throughput");
        return s.toString();
    }

    /** The task on a node: what the meta-learner embeds per candidate node. */
    public static String taskOnNode(TaskProfile task, HardwareProfile node) {
        StringBuilder s = new StringBuilder(task(task));
        s.append(", on a node with ").append(node.intraOpThreads()).append(" ONNX Runtime thread")
                .append(node.intraOpThreads() == 1 ? "" : "s").append(", ").append(plural(node.cpuCores(), "core"))
                .append(", ").append(node.networkDelayMs()).append(" ms network delay");
        if (node.memoryLimitMb() > 0) {
            s.append(", ").append(node.memoryLimitMb()).append(" MiB memory limit");
        }
        return s.toString();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
