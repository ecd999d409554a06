package dev.metaserve.models.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.SamplingParams;
import dev.metaserve.accelerators.generation.TokenSink;
import dev.metaserve.models.ModelLoadException;
import dev.metaserve.models.bpe.BpeTrainer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmBundleTest {
    @TempDir
    Path directory;

    private Path tinyModelFile() throws Exception {
        Path file = directory.resolve("tiny-lm.onnx");
        try (InputStream in = getClass().getResourceAsStream(OnnxCausalLmTest.TINY)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void filesOnDiskGiveAGeneratorFromTextToText() throws Exception {
        Path tokenizerFile = directory.resolve("bpe.txt");
        new BpeTrainer(300).train("the cat sat on the mat. the dog sat on the log. ".repeat(20)).save(tokenizerFile);
        Path model = tinyModelFile();
        try (LmBundle lm = LmBundle.load(tokenizerFile, model, model, 1);
             ContinuousBatchingGenerator generator = lm.newGenerator(new ContinuousBatchingGenerator.Settings(2, 2))) {
            assertThat(lm.target().name()).isEqualTo("tiny-lm");
            assertThat(lm.draft()).isNotNull();
            int[] prompt = lm.tokenizer().encode("the cat sat");
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            CompletableFuture<FinishReason> finished = new CompletableFuture<>();
            AtomicInteger generated = new AtomicInteger();
            generator.submit(new GenerationJob(prompt, 12, new SamplingParams(0.8, 0.9, 1), new Decoding.Draft(3)),
                    new TokenSink() {
                        @Override
                        public boolean onTokens(int[] tokens) {
                            // random weights: ids past this small tokenizer's vocabulary come out too
                            int[] known = IntStream.of(tokens).filter(t -> t < lm.tokenizer().vocabularySize()).toArray();
                            text.writeBytes(lm.tokenizer().decodeBytes(known));
                            generated.addAndGet(tokens.length);
                            return true;
                        }

                        @Override
                        public void onFinished(FinishReason reason, GenerationStats stats) {
                            finished.complete(reason);
                        }

                        @Override
                        public void onError(Throwable error) {
                            finished.completeExceptionally(error);
                        }
                    });
            FinishReason reason = finished.get(30, TimeUnit.SECONDS);
            assertThat(reason == FinishReason.LENGTH ? generated.get() == 12 : generated.get() < 12).isTrue();
        }
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        Path missing = directory.resolve("nope.onnx");
        assertThatThrownBy(() -> OnnxCausalLm.load(missing, 1))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("nope.onnx not found");
        assertThatThrownBy(() -> LmBundle.load(directory.resolve("bpe.txt"), tinyModelFile(), null, 1))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("could not load tokenizer");
        assertThatThrownBy(() -> OnnxCausalLm.loadResource("/dev/metaserve/models/lm/absent.onnx", 1))
                .hasMessageContaining("classpath resource /dev/metaserve/models/lm/absent.onnx not found");
    }
}
