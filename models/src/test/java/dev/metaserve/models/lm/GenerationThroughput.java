package dev.metaserve.models.lm;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.SamplingParams;
import dev.metaserve.accelerators.generation.TokenSink;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exploration, not a test: tokens per second of the engine on LM-contract graphs. Arguments: target.onnx draft.onnx
 * (or "-") decoding maxBatch jobs maxTokens [promptLength]. Greedy; prompts are random tokens.
 */
public final class GenerationThroughput {
    public static void main(String[] args) throws Exception {
        Path targetFile = Path.of(args[0]);
        Decoding decoding = Decoding.parse(args[2]);
        int maxBatch = Integer.parseInt(args[3]);
        int jobs = Integer.parseInt(args[4]);
        int maxTokens = Integer.parseInt(args[5]);
        int promptLength = args.length > 6 ? Integer.parseInt(args[6]) : 16;
        try (OnnxCausalLm target = OnnxCausalLm.load(targetFile, 1);
             OnnxCausalLm draft = args[1].equals("-") ? null : OnnxCausalLm.load(Path.of(args[1]), 1)) {
            for (int round = 0; round < 3; round++) { // the first rounds warm up
                long start = System.nanoTime();
                AtomicLong tokens = new AtomicLong();
                CountDownLatch done = new CountDownLatch(jobs);
                try (ContinuousBatchingGenerator generator = new ContinuousBatchingGenerator(target, draft,
                        new ContinuousBatchingGenerator.Settings(maxBatch, jobs))) {
                    Random random = new Random(round);
                    for (int j = 0; j < jobs; j++) {
                        int[] prompt = random.ints(promptLength, 300, target.vocabularySize()).toArray();
                        generator.submit(new GenerationJob(prompt, maxTokens, SamplingParams.GREEDY, decoding),
                                new TokenSink() {
                                    @Override
                                    public boolean onTokens(int[] delivered) {
                                        tokens.addAndGet(delivered.length);
                                        return true;
                                    }

                                    @Override
                                    public void onFinished(FinishReason reason, GenerationStats stats) {
                                        done.countDown();
                                    }

                                    @Override
                                    public void onError(Throwable error) {
                                        error.printStackTrace();
                                        done.countDown();
                                    }
                                });
                    }
                    done.await();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    ContinuousBatchingGenerator.Totals totals = generator.totals();
                    System.out.printf("round %d: %s batch %d: %d tokens in %.2f s = %.1f tokens/s; target passes %d,"
                                    + " draft passes %d, accepted %d of %d proposed; target regathers %d of %d passes%n",
                            round, decoding, maxBatch, tokens.get(), seconds, tokens.get() / seconds,
                            totals.targetPasses(), totals.draftPasses(), totals.acceptedTokens(),
                            totals.proposedTokens(), target.regathers(), target.passes());
                }
            }
        }
    }
}
