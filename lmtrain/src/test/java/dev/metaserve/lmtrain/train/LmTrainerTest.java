package dev.metaserve.lmtrain.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.models.bpe.BpeTokenizer;
import dev.metaserve.models.bpe.BpeTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LmTrainerTest {
    private static final String TEXT = "the cat sat on the mat. the dog sat on the log. ".repeat(40);

    @Test
    void lossGoesDownOnARepeatedText() {
        BpeTokenizer tokenizer = new BpeTrainer(300).train(TEXT);
        int[] tokens = tokenizer.encode(TEXT);
        GptConfig config = new GptConfig("trainer-test", tokenizer.vocabularySize(), 16, 1, 2, 32);
        TrainingSettings settings = new TrainingSettings(8, 16, 60, Duration.ofMinutes(5), 3e-3f, 5, 0f, 1);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (LanguageModel model = LanguageModel.create(config, 1)) {
            double before = HeldOutEvaluator.evaluate(model, tokens, 16, 8, 1024).meanLoss();

            TrainingResult result = new LmTrainer(settings, new ProgressBar(new PrintStream(progress, true, StandardCharsets.UTF_8), 60))
                    .train(model, tokens);

            double after = HeldOutEvaluator.evaluate(model, tokens, 16, 8, 1024).meanLoss();
            assertThat(result.steps()).isEqualTo(60);
            assertThat(result.tokensSeen()).isEqualTo(60L * 8 * 16);
            assertThat(after).isLessThan(before * 0.5);
            assertThat(result.finalTrainLoss()).isLessThan(before * 0.6);
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("step 60/60").contains("tok/s").contains("ETA");
        }
    }

    @Test
    void initialLossIsNearTheUniformGuess() {
        GptConfig config = new GptConfig("trainer-test", 400, 16, 1, 2, 16);
        int[] tokens = new int[200];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 37) % 400;
        }
        try (LanguageModel model = LanguageModel.create(config, 2)) {
            assertThat(HeldOutEvaluator.evaluate(model, tokens, 16, 4, 160).meanLoss()).isCloseTo(Math.log(400), org.assertj.core.data.Offset.offset(0.1));
        }
    }
}
