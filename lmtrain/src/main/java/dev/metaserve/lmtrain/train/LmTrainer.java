package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.metaserve.lmtrain.model.AttentionBias;
import dev.metaserve.lmtrain.model.LanguageModel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** Trains a {@link LanguageModel} on random windows of a token stream with AdamW and a warm-up/cosine schedule. */
public final class LmTrainer {
    private static final int LOSS_WINDOW = 50;
    private static final int PROGRESS_EVERY_STEPS = 5;

    private final TrainingSettings settings;
    private final ProgressBar progress;

    public LmTrainer(TrainingSettings settings, ProgressBar progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Plain next-token training. */
    public TrainingResult train(LanguageModel model, int[] tokens) {
        return train(model, tokens, new NextTokenLoss(), null);
    }

    /**
     * Trains in place.
     *
     * @param teacher when not null, each batch's labels are (ids, teacher logits) for a {@link DistillationLoss}
     */
    public TrainingResult train(LanguageModel model, int[] tokens, Loss loss, TeacherLogits teacher) {
        if (settings.windowLength() > model.config().contextLength()) {
            throw new IllegalArgumentException("window of " + settings.windowLength() + " tokens exceeds the context length "
                    + model.config().contextLength());
        }
        long startNanos = System.nanoTime();
        long boundNanos = settings.maxDuration().toNanos();
        Optimizer optimizer = Optimizer.adamW()
                .optLearningRateTracker(new WarmupCosineSchedule(settings.peakLearningRate(), settings.warmupSteps(), settings.steps(),
                        () -> (double) (System.nanoTime() - startNanos) / boundNanos))
                .optWeightDecays(settings.weightDecay())
                .optClipGrad(1f)
                .build();
        WindowSampler sampler = new WindowSampler(tokens, settings.windowLength(), settings.seed());
        long deadlineNanos = startNanos + boundNanos;
        Deque<Double> recentLosses = new ArrayDeque<>();
        int step = 0;
        boolean stoppedByTime = false;
        try (Trainer trainer = new Trainer(model.djlModel(), new DefaultTrainingConfig(loss).optOptimizer(optimizer));
             NDManager shared = model.djlModel().getNDManager().newSubManager()) {
            NDArray bias = AttentionBias.causal(shared, settings.windowLength());
            while (step < settings.steps()) {
                double value = step(trainer, sampler.next(settings.batchSize()), bias, teacher);
                step++;
                if (!Double.isFinite(value)) {
                    progress.finish();
                    throw new IllegalStateException("training diverged at step " + step + ": the loss is " + value
                            + "; parameters with non-finite values: " + nonFinite(model));
                }
                recentLosses.addLast(value);
                if (recentLosses.size() > LOSS_WINDOW) {
                    recentLosses.removeFirst();
                }
                long now = System.nanoTime();
                if (step % PROGRESS_EVERY_STEPS == 0 || step == settings.steps()) {
                    report(step, value, startNanos, now, deadlineNanos);
                }
                if (now >= deadlineNanos && step < settings.steps()) {
                    stoppedByTime = true;
                    break;
                }
            }
        }
        progress.finish();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double finalLoss = recentLosses.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        long tokensSeen = (long) step * settings.batchSize() * settings.windowLength();
        return new TrainingResult(step, tokensSeen, finalLoss, seconds, stoppedByTime);
    }

    private double step(Trainer trainer, WindowSampler.Batch batch, NDArray bias, TeacherLogits teacher) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Shape shape = new Shape(batch.batchSize(), batch.windowLength());
            NDArray inputs = manager.create(batch.inputs(), shape);
            NDArray positions = manager.create(positionIds(batch.batchSize(), batch.windowLength()), shape);
            NDList labels = new NDList(manager.create(batch.labels(), shape));
            if (teacher != null) {
                labels.add(teacher.logits(manager, inputs));
            }
            double value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(inputs, positions, bias), labels);
                NDArray loss = trainer.getLoss().evaluate(labels, logits);
                collector.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** Names of the parameters that hold NaN or infinity (what went wrong first when a run diverges). */
    private static java.util.List<String> nonFinite(LanguageModel model) {
        java.util.List<String> names = new java.util.ArrayList<>();
        model.djlModel().getBlock().getParameters().forEach(pair -> {
            NDArray values = pair.getValue().getArray();
            boolean finite = values.isNaN().logicalOr(values.isInfinite()).none().getBoolean();
            NDArray gradient = values.hasGradient() ? values.getGradient() : null;
            boolean gradientFinite = gradient == null || gradient.isNaN().logicalOr(gradient.isInfinite()).none().getBoolean();
            if (!finite || !gradientFinite) {
                names.add(pair.getKey() + (finite ? "" : " (weights)") + (gradientFinite ? "" : " (gradient)"));
            }
        });
        return names;
    }

    /** Positions 0..T-1 for every row, row-major. */
    static long[] positionIds(int batchSize, int windowLength) {
        long[] positions = new long[batchSize * windowLength];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i % windowLength;
        }
        return positions;
    }

    private void report(int step, double loss, long startNanos, long now, long deadlineNanos) {
        double elapsed = (now - startNanos) / 1e9;
        double tokensPerSecond = (double) step * settings.batchSize() * settings.windowLength() / elapsed;
        double secondsPerStep = elapsed / step;
        double stepsLeftSeconds = (settings.steps() - step) * secondsPerStep;
        double boundLeftSeconds = Math.max(0, (deadlineNanos - now) / 1e9);
        progress.update(step, loss, tokensPerSecond, Duration.ofMillis((long) (1000 * Math.min(stepsLeftSeconds, boundLeftSeconds))));
    }
}
