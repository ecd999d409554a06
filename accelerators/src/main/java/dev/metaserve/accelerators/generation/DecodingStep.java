package dev.metaserve.accelerators.generation;

import dev.metaserve.accelerators.Decoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model work of one engine step for a set of running jobs: their prefill, the proposals (draft passes batched
 * across jobs, or n-gram lookups), one batched target pass over every job's unseen tokens plus proposals, and the
 * verdicts. Caches are rolled back to what was accepted. Delivering the tokens is the caller's business.
 */
final class DecodingStep {
    private final CausalLm target;
    private final CausalLm draft;
    private final Verifier verifier;
    long targetPasses;
    long draftPasses;
    long proposedTokens;
    long acceptedTokens;

    DecodingStep(CausalLm target, CausalLm draft, Verifier verifier) {
        this.target = target;
        this.draft = draft;
        this.verifier = verifier;
    }

    /** Runs every prompt but its last token through the target (and the draft, for draft jobs) in one pass each. */
    void prefill(List<ActiveJob> admitted) {
        List<ActiveJob> longPrompts = admitted.stream().filter(j -> j.promptLength > 1).toList();
        if (longPrompts.isEmpty()) {
            return;
        }
        target.prefill(longPrompts.stream().map(j -> j.targetCache).toList(), allButLast(longPrompts));
        targetPasses++;
        longPrompts.forEach(j -> j.targetPasses++);
        List<ActiveJob> drafting = longPrompts.stream()
                .filter(j -> j.drafts() && j.promptLength <= draft.contextLength()).toList();
        if (!drafting.isEmpty()) {
            draft.prefill(drafting.stream().map(j -> j.draftCache).toList(), allButLast(drafting));
            draftPasses++;
        }
    }

    private static List<int[]> allButLast(List<ActiveJob> jobs) {
        return jobs.stream().map(j -> Arrays.copyOf(j.tokens, j.promptLength - 1)).toList();
    }

    /** Proposes, verifies with one target pass, rolls caches back. Returns one verdict per job, in order. */
    List<Verdict> run(List<ActiveJob> jobs) {
        proposeWithDraft(jobs.stream().filter(j -> j.drafts() && budget(j) > 0).toList());
        for (ActiveJob job : jobs) {
            if (job.decoding instanceof Decoding.Ngram ngram) {
                int[] found = NgramLookup.propose(job.tokens, job.length, budget(job), ngram.n());
                job.propose(found, new double[found.length][]);
            } else if (!job.drafts() || budget(job) == 0) {
                job.propose(new int[0], new double[0][]);
            }
        }
        List<float[][]> logits = target.forward(jobs.stream().map(j -> j.targetCache).toList(),
                jobs.stream().map(ActiveJob::targetChunk).toList());
        targetPasses++;
        jobs.forEach(j -> proposedTokens += j.proposals.length);
        List<Verdict> verdicts = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            ActiveJob job = jobs.get(i);
            job.targetPasses++;
            Verdict verdict = verify(job, logits.get(i));
            job.acceptedTokens += verdict.accepted();
            acceptedTokens += verdict.accepted();
            // the caches hold the sequence plus (some of) the proposals: keep only what was accepted
            int kept = job.length + verdict.accepted();
            job.targetCache.truncate(Math.min(job.targetCache.length(), kept));
            if (job.draftCache != null) {
                job.draftCache.truncate(Math.min(job.draftCache.length(), kept));
            }
            verdicts.add(verdict);
        }
        return verdicts;
    }

    /**
     * Most tokens a job may propose this step: its k, but never more than fit the context (all accepted plus the
     * target's own token), than it may still generate, or than the draft's context allows.
     */
    private int budget(ActiveJob job) {
        int k = job.decoding.proposed();
        k = Math.min(k, target.contextLength() - job.length - 1);
        k = Math.min(k, job.remainingTokens() - 1);
        if (job.drafts()) {
            k = Math.min(k, draft.contextLength() - job.length);
        }
        return Math.max(0, k);
    }

    /** Draft passes batched across jobs: the first runs each job's unseen tokens, the next ones the last proposal. */
    private void proposeWithDraft(List<ActiveJob> jobs) {
        for (ActiveJob job : jobs) {
            int k = budget(job);
            job.propose(new int[k], new double[k][]);
        }
        for (int i = 0; ; i++) {
            int index = i;
            List<ActiveJob> drafting = jobs.stream().filter(j -> j.proposals.length > index).toList();
            if (drafting.isEmpty()) {
                return;
            }
            List<int[]> chunks = drafting.stream()
                    .map(j -> index == 0 ? j.unseenBy(j.draftCache) : new int[] {j.proposals[index - 1]})
                    .toList();
            List<float[][]> logits = draft.forward(drafting.stream().map(j -> j.draftCache).toList(), chunks);
            draftPasses++;
            for (int d = 0; d < drafting.size(); d++) {
                ActiveJob job = drafting.get(d);
                float[][] rows = logits.get(d);
                float[] last = rows[rows.length - 1];
                if (job.sampling.greedy()) {
                    job.proposals[index] = Sampling.argmax(last);
                } else {
                    double[] q = Sampling.probabilities(last, job.sampling);
                    job.proposalDistributions[index] = q;
                    job.proposals[index] = Sampling.sample(q, job.random);
                }
            }
        }
    }

    /** Rows {@code first .. first + k} of the job's logits score its proposals and the token after them. */
    private Verdict verify(ActiveJob job, float[][] rows) {
        int k = job.proposals.length;
        int first = rows.length - 1 - k;
        if (job.sampling.greedy()) {
            int accepted = 0;
            while (accepted < k && job.proposals[accepted] == Sampling.argmax(rows[first + accepted])) {
                accepted++;
            }
            return new Verdict(accepted, Sampling.argmax(rows[first + accepted]));
        }
        double[][] p = new double[k + 1][];
        for (int i = 0; i <= k; i++) {
            p[i] = Sampling.probabilities(rows[first + i], job.sampling);
        }
        return verifier.verify(p, job.proposals, job.proposalDistributions, job.random);
    }
}
