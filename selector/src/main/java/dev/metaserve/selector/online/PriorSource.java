package dev.metaserve.selector.online;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;

/**
 * Where the online policy's beliefs start: the offline model's prediction for a candidate on a task. The policy asks
 * once per (task class, candidate) and model version, never per request, so a prediction may take milliseconds.
 * Implementations must be safe for use from many threads.
 */
@FunctionalInterface
public interface PriorSource {

    /** Expected score and quality loss of one candidate on a task. */
    Estimate prior(TaskProfile task, Candidate candidate);

    /**
     * The estimates of several candidates on one task, in their order. Override when predicting them together is
     * cheaper (a model that computes the task's features once).
     */
    default Estimate[] priors(TaskProfile task, List<Candidate> candidates) {
        Estimate[] out = new Estimate[candidates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = prior(task, candidates.get(i));
        }
        return out;
    }
}
