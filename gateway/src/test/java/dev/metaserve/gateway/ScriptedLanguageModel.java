package dev.metaserve.gateway;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.QueueFullException;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.Generator;
import dev.metaserve.accelerators.generation.GeneratorClosedException;
import dev.metaserve.accelerators.generation.TokenSink;
import dev.metaserve.models.bpe.BpeTokenizer;
import dev.metaserve.models.bpe.BpeTrainer;
import dev.metaserve.nodes.generation.DecodingKind;
import dev.metaserve.nodes.generation.TextGenerationModel;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A language model for gateway tests: a real BPE tokenizer trained here, and a fake engine at the edge that continues
 * every prompt with {@link #CONTINUATION}, one token per step, up to max_tokens. A prompt containing {@code wait}
 * gets one token and then nothing until the job is cancelled (or a minute passes); one containing {@code slow} gets a
 * token every {@value #SLOW_MS} ms; one containing {@code closing} gets {@value #TOKENS_BEFORE_CLOSING} tokens and then
 * the error of an engine closed under it; one containing {@code turns} is continued with {@link #TURNS} instead, a
 * model writing the next turns of a chat. The "full" engine refuses every job.
 */
final class ScriptedLanguageModel {
    static final String NAME = "tiny-lm";
    static final int CONTEXT = 64;
    static final String CONTINUATION = " and the earth was without form, and void; café ☕ END and more after it";
    static final String TURNS = " Very well.\n\nUser: And you?\n\nAssistant: Well too.";
    static final int SLOW_MS = 100;
    static final int TOKENS_BEFORE_CLOSING = 2;
    static final BpeTokenizer BPE = new BpeTrainer(320).train(
            "In the beginning God created the heaven and the earth. And the earth was without form, and void; and"
                    + " darkness was upon the face of the deep. It is a truth universally acknowledged.");

    private ScriptedLanguageModel() {}

    static TextGenerationModel serving() {
        return model(new Scripted());
    }

    static TextGenerationModel full() {
        return model(new Full());
    }

    private static TextGenerationModel model(Generator generator) {
        return new TextGenerationModel(NAME, BPE, generator, EnumSet.of(DecodingKind.PLAIN, DecodingKind.NGRAM),
                Decoding.PLAIN);
    }

    private static final class Scripted implements Generator {
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "scripted-generator");
            thread.setDaemon(true);
            return thread;
        });

        @Override
        public Cancellable submit(GenerationJob job, TokenSink sink) {
            CountDownLatch cancelled = new CountDownLatch(1);
            threads.execute(() -> run(job, sink, BPE.decode(job.promptTokens()), cancelled));
            return cancelled::countDown;
        }

        private void run(GenerationJob job, TokenSink sink, String prompt, CountDownLatch cancelled) {
            boolean hold = prompt.contains("wait");
            boolean slow = prompt.contains("slow");
            boolean closing = prompt.contains("closing");
            int[] tokens = BPE.encode(prompt.contains("turns") ? TURNS : CONTINUATION);
            int generated = 0;
            FinishReason reason = FinishReason.LENGTH;
            for (int token : tokens) {
                if (generated == job.maxTokens() || cancelled.getCount() == 0) {
                    break;
                }
                if (closing && generated == TOKENS_BEFORE_CLOSING) {
                    sink.onError(new GeneratorClosedException());
                    return;
                }
                if (slow) {
                    try {
                        if (cancelled.await(SLOW_MS, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                generated++;
                if (!sink.onTokens(new int[] {token})) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (hold) {
                    try {
                        cancelled.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    break;
                }
            }
            if (cancelled.getCount() > 0) {
                sink.onFinished(reason, new GenerationStats(job.promptTokens().length, generated, 0, 0, generated + 1));
            }
        }

        @Override
        public int contextLength() {
            return CONTEXT;
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }

    private static final class Full implements Generator {
        @Override
        public Cancellable submit(GenerationJob job, TokenSink sink) {
            throw new QueueFullException(0);
        }

        @Override
        public int contextLength() {
            return CONTEXT;
        }

        @Override
        public void close() {
        }
    }
}
