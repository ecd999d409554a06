package dev.metaserve.quant;

import dev.metaserve.models.TokenizedBatch;
import dev.metaserve.quant.calibration.CalibrationInputs;
import dev.metaserve.quant.metaaug.AugmentableInputs;
import dev.metaserve.quant.metaaug.TokenAugmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Calibration sentences with the {@link TokenAugmentation} family over their token ids: {@code T_theta} turns each
 * sentence into one transformed sequence (batch 1, attention mask 1, token types 0). Same seed and theta, same result.
 */
public final class SentenceAugmentation implements AugmentableInputs {
    /** The default upper bound of each strength. */
    public static final double DEFAULT_MAX_STRENGTH = 0.5;

    private final SentenceCalibrationInputs original;
    private final TokenAugmentation augmentation;
    private final double maxStrength;
    private final List<long[]> ids;

    public SentenceAugmentation(SentenceCalibrationInputs original, TokenAugmentation augmentation, double maxStrength) {
        if (!(maxStrength > 0 && maxStrength <= 1)) {
            throw new IllegalArgumentException("maxStrength must be in (0, 1], was " + maxStrength);
        }
        this.original = original;
        this.augmentation = augmentation;
        this.maxStrength = maxStrength;
        List<long[]> sequences = new ArrayList<>();
        for (TokenizedBatch batch : original.tokenized()) {
            sequences.add(Arrays.copyOf(batch.inputIds(), batch.tokenCounts()[0]));
        }
        this.ids = List.copyOf(sequences);
    }

    @Override
    public List<String> parameterNames() {
        return TokenAugmentation.PARAMETERS;
    }

    @Override
    public double[] upperBounds() {
        double[] upper = new double[TokenAugmentation.PARAMETERS.size()];
        Arrays.fill(upper, maxStrength);
        return upper;
    }

    @Override
    public CalibrationInputs original() {
        return original;
    }

    @Override
    public SentenceCalibrationInputs transformed(double[] theta, long seed) {
        Random random = new Random(seed);
        List<TokenizedBatch> batches = new ArrayList<>(ids.size());
        for (long[] sentence : ids) {
            long[] transformed = augmentation.apply(sentence, theta, ids, random);
            long[] mask = new long[transformed.length];
            Arrays.fill(mask, 1);
            batches.add(new TokenizedBatch(1, transformed.length, transformed, mask, new long[transformed.length],
                    new int[] {transformed.length}));
        }
        return SentenceCalibrationInputs.ofTokens(batches, original.modelInputs());
    }

    @Override
    public double distanceFromIdentity(double[] theta) {
        return TokenAugmentation.distanceFromIdentity(theta);
    }
}
