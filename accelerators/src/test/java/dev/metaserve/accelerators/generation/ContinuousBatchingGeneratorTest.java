package dev.metaserve.accelerators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.QueueFullException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContinuousBatchingGeneratorTest {
    private static final int VOCABULARY = 16;
    private static final int END_OF_TEXT = VOCABULARY - 1;
    private static final int CONTEXT = 64;

    private final ToyLm target = ToyLm.random(VOCABULARY, CONTEXT, 3, 2.0, END_OF_TEXT);
    private final ToyLm draft = target.noisyCopy(4, 0.8);
    /** A target whose end-of-text never wins, so jobs run to their limits. */
    private final ToyLm endless = ToyLm.random(VOCABULARY, CONTEXT, 5, 2.0, -1);

    private static GenerationJob greedy(int maxTokens, Decoding decoding, int... prompt) {
        return new GenerationJob(prompt, maxTokens, SamplingParams.GREEDY, decoding);
    }

    private static ContinuousBatchingGenerator generator(ToyLm target, ToyLm draft, int maxBatch, int queue) {
        return new ContinuousBatchingGenerator(target, draft, new ContinuousBatchingGenerator.Settings(maxBatch, queue));
    }

    private List<Integer> alone(GenerationJob job) {
        try (Generator generator = generator(target, draft, 1, 1)) {
            RecordingSink sink = new RecordingSink();
            generator.submit(job, sink);
            return sink.await().tokens();
        }
    }

    @Test
    void jobsDecodedTogetherGiveWhatEachGivesAlone() {
        List<GenerationJob> jobs = new ArrayList<>();
        Decoding[] decodings = {Decoding.PLAIN, new Decoding.Draft(3), new Decoding.Ngram(4, 2)};
        for (int i = 0; i < 12; i++) {
            jobs.add(greedy(30, decodings[i % 3], i % 7, (i * 5) % 11, 3, i % 4));
        }
        List<RecordingSink> sinks = new ArrayList<>();
        try (Generator generator = generator(target, draft, 8, 16)) {
            for (GenerationJob job : jobs) {
                RecordingSink sink = new RecordingSink();
                generator.submit(job, sink);
                sinks.add(sink);
            }
            for (int i = 0; i < jobs.size(); i++) {
                assertThat(sinks.get(i).await().tokens()).as("job %d", i).isEqualTo(alone(jobs.get(i)));
            }
        }
        assertThat(target.batchSizes).anyMatch(size -> size > 1);
        assertThat(target.batchSizes).allMatch(size -> size <= 8);
    }

    @Test
    void sampledJobsGiveTheSameTokensForTheSameSeedWhateverRunsBeside() {
        GenerationJob job = new GenerationJob(new int[] {1, 2, 3}, 25, new SamplingParams(1.0, 0.9, 42),
                new Decoding.Draft(2));
        List<Integer> expected = alone(job);
        try (Generator generator = generator(target, draft, 8, 16)) {
            List<RecordingSink> neighbours = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RecordingSink sink = new RecordingSink();
                generator.submit(new GenerationJob(new int[] {i}, 25, new SamplingParams(1.0, 0.9, i), Decoding.PLAIN),
                        sink);
                neighbours.add(sink);
            }
            RecordingSink sink = new RecordingSink();
            generator.submit(job, sink);
            assertThat(sink.await().tokens()).isEqualTo(expected);
            neighbours.forEach(RecordingSink::await);
        }
    }

    @Test
    void jobsJoinAndLeaveARunningBatch() throws Exception {
        try (Generator generator = generator(endless, null, 4, 16)) {
            RecordingSink longJob = new RecordingSink();
            generator.submit(greedy(50, Decoding.PLAIN, 1, 2), longJob);
            longJob.firstTokens.get(10, TimeUnit.SECONDS);
            List<RecordingSink> late = new ArrayList<>();
            List<GenerationJob> lateJobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                GenerationJob job = greedy(3 + i, new Decoding.Ngram(2, 1), i, i + 1);
                RecordingSink sink = new RecordingSink();
                generator.submit(job, sink);
                late.add(sink);
                lateJobs.add(job);
            }
            assertThat(longJob.await().tokens()).hasSize(50).isEqualTo(aloneOn(endless, greedy(50, Decoding.PLAIN, 1, 2)));
            for (int i = 0; i < late.size(); i++) {
                RecordingSink.Outcome outcome = late.get(i).await();
                assertThat(outcome.tokens()).isEqualTo(aloneOn(endless, lateJobs.get(i)));
                assertThat(outcome.reason()).isEqualTo(FinishReason.LENGTH);
            }
        }
    }

    private static List<Integer> aloneOn(ToyLm model, GenerationJob job) {
        try (Generator generator = generator(model, null, 1, 1)) {
            RecordingSink sink = new RecordingSink();
            generator.submit(job, sink);
            return sink.await().tokens();
        }
    }

    @Test
    void endOfTextStopsAJobWithoutBeingPassedOn() {
        // find a prompt whose greedy continuation ends by itself
        try (Generator generator = generator(target, draft, 8, 64)) {
            List<RecordingSink> sinks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                RecordingSink sink = new RecordingSink();
                generator.submit(greedy(60, new Decoding.Draft(2), i % VOCABULARY == END_OF_TEXT ? 0 : i % VOCABULARY,
                        i / VOCABULARY), sink);
                sinks.add(sink);
            }
            List<RecordingSink.Outcome> stopped = sinks.stream().map(RecordingSink::await)
                    .filter(o -> o.reason() == FinishReason.STOP).toList();
            assertThat(stopped).isNotEmpty();
            stopped.forEach(o -> assertThat(o.tokens()).doesNotContain(END_OF_TEXT).hasSizeLessThan(60));
            stopped.forEach(o -> assertThat(o.stats().generatedTokens()).isEqualTo(o.tokens().size()));
        }
    }

    @Test
    void maxTokensAndAFullContextEndWithLength() {
        try (Generator generator = generator(endless, null, 4, 4)) {
            RecordingSink capped = new RecordingSink();
            generator.submit(new GenerationJob(new int[] {1, 2, 3}, 7, SamplingParams.GREEDY, new Decoding.Ngram(5, 1)),
                    capped);
            RecordingSink full = new RecordingSink();
            generator.submit(greedy(1000, new Decoding.Ngram(6, 1), new int[CONTEXT - 10]), full);
            RecordingSink.Outcome cappedOutcome = capped.await();
            assertThat(cappedOutcome.tokens()).hasSize(7);
            assertThat(cappedOutcome.reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(cappedOutcome.stats().promptTokens()).isEqualTo(3);
            assertThat(cappedOutcome.stats().generatedTokens()).isEqualTo(7);
            RecordingSink.Outcome fullOutcome = full.await();
            assertThat(fullOutcome.tokens()).hasSize(10);
            assertThat(fullOutcome.reason()).isEqualTo(FinishReason.LENGTH);
        }
    }

    @Test
    void aSinkReturningFalseStopsItsJob() {
        try (Generator generator = generator(endless, null, 4, 4)) {
            RecordingSink sink = new RecordingSink(count -> count < 5);
            generator.submit(greedy(40, Decoding.PLAIN, 1), sink);
            RecordingSink.Outcome outcome = sink.await();
            assertThat(outcome.reason()).isEqualTo(FinishReason.STOP);
            assertThat(outcome.tokens()).hasSize(5);
        }
    }

    @Test
    void aCancelledJobHearsNothingMoreAndTheOthersGoOn() throws Exception {
        try (Generator generator = generator(endless, null, 4, 4)) {
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch cancelledNow = new CountDownLatch(1);
            RecordingSink cancelled = new RecordingSink(count -> {
                if (count == 2) { // hold the decoder inside this delivery until the caller has cancelled
                    reached.countDown();
                    awaitQuietly(cancelledNow);
                }
                return true;
            });
            Generator.Cancellable handle = generator.submit(greedy(60, Decoding.PLAIN, 1), cancelled);
            RecordingSink other = new RecordingSink();
            generator.submit(greedy(60, Decoding.PLAIN, 2), other);
            assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
            handle.cancel();
            cancelledNow.countDown();
            assertThat(other.await().tokens()).hasSize(60);
            assertThat(cancelled.outcome).isNotDone();
            assertThat(cancelled.tokens).hasSize(2);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndAWaitingJobCanBeCancelled() throws Exception {
        endless.entered = new CountDownLatch(1);
        endless.release = new CountDownLatch(1);
        try (Generator generator = generator(endless, null, 1, 2)) {
            RecordingSink running = new RecordingSink();
            generator.submit(greedy(3, Decoding.PLAIN, 1), running);
            assertThat(endless.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the decoder holds it, in the model
            RecordingSink second = new RecordingSink();
            RecordingSink third = new RecordingSink();
            generator.submit(greedy(3, Decoding.PLAIN, 2), second);
            Generator.Cancellable thirdHandle = generator.submit(greedy(3, Decoding.PLAIN, 3), third);
            assertThatThrownBy(() -> generator.submit(greedy(3, Decoding.PLAIN, 4), new RecordingSink()))
                    .isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("capacity 2");
            thirdHandle.cancel(); // frees its place
            RecordingSink fourth = new RecordingSink();
            generator.submit(greedy(3, Decoding.PLAIN, 4), fourth);
            endless.entered = null;
            endless.release.countDown();
            assertThat(running.await().tokens()).hasSize(3);
            assertThat(second.await().tokens()).hasSize(3);
            assertThat(fourth.await().tokens()).hasSize(3);
            assertThat(third.outcome).isNotDone();
        }
    }

    @Test
    void aModelFailureFailsThatStepsJobsAndTheEngineServesTheNextOnes() {
        endless.failOnToken = 9;
        try (Generator generator = generator(endless, null, 4, 8)) {
            RecordingSink failing = new RecordingSink();
            generator.submit(greedy(5, Decoding.PLAIN, 9, 1), failing);
            assertThatThrownBy(failing::await).hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("model failed on token 9");
            RecordingSink healthy = new RecordingSink();
            generator.submit(greedy(5, Decoding.PLAIN, 1, 2), healthy);
            assertThat(healthy.await().tokens()).hasSize(5);
        }
    }

    @Test
    void closingFailsRunningJobsAndRefusesNewOnes() throws Exception {
        ContinuousBatchingGenerator generator = generator(endless, null, 2, 2);
        CountDownLatch delivering = new CountDownLatch(1);
        // the sink holds the decoder inside its first delivery until close() interrupts it
        RecordingSink running = new RecordingSink(count -> {
            delivering.countDown();
            awaitQuietly(new CountDownLatch(1));
            return true;
        });
        generator.submit(greedy(50, Decoding.PLAIN, 1), running);
        assertThat(delivering.await(10, TimeUnit.SECONDS)).isTrue();
        generator.close();
        assertThatThrownBy(() -> running.outcome.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(GeneratorClosedException.class);
        assertThat(running.tokens).hasSize(1);
        assertThatThrownBy(() -> generator.submit(greedy(1, Decoding.PLAIN, 1), new RecordingSink()))
                .isInstanceOf(GeneratorClosedException.class);
    }

    @Test
    void jobsTheModelCannotRunAreRefusedNamingWhy() {
        try (Generator generator = generator(target, null, 2, 2)) {
            assertThatThrownBy(() -> generator.submit(greedy(5, Decoding.PLAIN, new int[CONTEXT]), new RecordingSink()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt of 64 tokens leaves no room in the model's context of 64 tokens");
            assertThatThrownBy(() -> generator.submit(greedy(5, Decoding.PLAIN, 3, VOCABULARY), new RecordingSink()))
                    .hasMessageContaining("prompt token 16 is outside the vocabulary [0, 16)");
            assertThatThrownBy(() -> generator.submit(greedy(5, new Decoding.Draft(2), 3), new RecordingSink()))
                    .hasMessageContaining("needs a draft model");
        }
        assertThatThrownBy(() -> generator(target, ToyLm.random(8, CONTEXT, 1, 1, 7), 1, 1))
                .hasMessageContaining("the draft model's vocabulary (8 tokens) differs from the target's (16)");
    }

    @Test
    void statsCountProposalsAcceptancesAndPasses() {
        try (ContinuousBatchingGenerator generator = generator(endless, endless, 1, 1)) {
            RecordingSink sink = new RecordingSink();
            generator.submit(greedy(20, new Decoding.Draft(4), 1, 2, 3), sink);
            GenerationStats stats = sink.await().stats();
            // the draft is the target itself: every proposal is accepted, 5 tokens per pass after the prefill
            assertThat(stats.acceptedTokens()).isEqualTo(stats.proposedTokens());
            assertThat(stats.proposedTokens()).isEqualTo(16);
            assertThat(stats.targetPasses()).isEqualTo(1 + 4);
            assertThat(stats.acceptanceRate()).isEqualTo(1.0);
            assertThat(generator.totals().generatedTokens()).isEqualTo(20);
        }
    }
}
