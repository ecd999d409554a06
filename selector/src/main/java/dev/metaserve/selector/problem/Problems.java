package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds selection problems from observations: one problem per distinct task profile, one candidate per distinct
 * (node spec, plan) measured for it. Repeated observations of a candidate are averaged: latency and throughput by
 * geometric mean (they are compared as ratios), quality delta by arithmetic mean.
 */
public final class Problems {
    private Problems() {}

    public static ProblemSet from(List<Observation> observations) {
        Map<TaskProfile, Map<CandidateKey, List<Observation>>> byTask = grouped(observations);
        List<SelectionProblem> problems = new ArrayList<>();
        List<TaskProfile> withoutFeasible = new ArrayList<>();
        for (Map.Entry<TaskProfile, Map<CandidateKey, List<Observation>>> e : byTask.entrySet()) {
            List<MeasuredCandidate> measured = e.getValue().values().stream().map(Problems::average).toList();
            boolean anyFeasible = measured.stream().anyMatch(m -> m.qualityDelta() <= e.getKey().qualityTolerance());
            if (anyFeasible) {
                problems.add(new SelectionProblem(e.getKey(), measured));
            } else {
                withoutFeasible.add(e.getKey());
            }
        }
        problems.sort(Comparator.comparing((SelectionProblem p) -> p.task().toString()));
        return new ProblemSet(problems, observations.size(), withoutFeasible);
    }

    /** Observations by task profile (in first-seen order), then by candidate (in key order), as given. */
    public static Map<TaskProfile, Map<CandidateKey, List<Observation>>> grouped(List<Observation> observations) {
        Map<TaskProfile, Map<CandidateKey, List<Observation>>> byTask = new LinkedHashMap<>();
        for (Observation o : observations) {
            byTask.computeIfAbsent(o.task(), t -> new TreeMap<>())
                    .computeIfAbsent(new CandidateKey(NodeSpec.of(o.hardware()), o.plan()), k -> new ArrayList<>())
                    .add(o);
        }
        return byTask;
    }

    private static MeasuredCandidate average(List<Observation> same) {
        double logLatency = 0;
        double logThroughput = 0;
        double quality = 0;
        for (Observation o : same) {
            logLatency += Math.log(Math.max(o.measurement().latencyP50Ms(), PerformanceScore.FLOOR));
            logThroughput += Math.log(Math.max(o.measurement().throughputPerSecond(), PerformanceScore.FLOOR));
            quality += o.measurement().qualityDelta();
        }
        int n = same.size();
        Observation first = same.get(0);
        return new MeasuredCandidate(new Candidate(first.hardware(), first.plan()), Math.exp(logLatency / n),
                Math.exp(logThroughput / n), quality / n, n);
    }

    /**
     * One problem per (cell, objective): problems that differ only in tolerance share one measurement, so a learner
     * of performance (not of feasibility) takes each measurement once.
     */
    public static List<SelectionProblem> distinctMeasurements(List<SelectionProblem> problems) {
        Map<String, SelectionProblem> first = new LinkedHashMap<>();
        for (SelectionProblem p : problems) {
            first.putIfAbsent(p.cell() + "|" + p.task().objective(), p);
        }
        return List.copyOf(first.values());
    }
}
