package dev.metaserve.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.quant.QuantizationSummary;
import dev.metaserve.quant.Quantizer;
import dev.metaserve.quant.SentenceAugmentation;
import dev.metaserve.quant.SentenceCalibrationInputs;
import dev.metaserve.quant.metaaug.MetaAugCalibration;
import dev.metaserve.quant.metaaug.TokenAugmentation;
import java.nio.file.Path;

/**
 * MetaAug calibration around a quantizer's calibrator: the quant module's search over a token-level
 * augmentation policy ({@code SentenceAugmentation} with {@code TokenAugmentation.bertUncased}), with the
 * module's default settings unless {@link Search} changes its size.
 */
final class MetaAugQuantization {
    private MetaAugQuantization() {}

    /** The search's size; 0 keeps the quant module's default. */
    record Search(int iterations, int population) {}

    /** Quantizes with MetaAug around {@code quantizer}'s calibrator and writes the result to {@code out}. */
    static QuantizationSummary quantize(Quantizer quantizer, ModelProto model, String source,
                                        SentenceCalibrationInputs inputs, int maxSequenceLength, Search search,
                                        Path out) {
        SentenceAugmentation augmentable = new SentenceAugmentation(inputs,
                TokenAugmentation.bertUncased(maxSequenceLength), SentenceAugmentation.DEFAULT_MAX_STRENGTH);
        MetaAugCalibration.Settings defaults = MetaAugCalibration.Settings.defaults();
        MetaAugCalibration.Settings settings = new MetaAugCalibration.Settings(
                search.iterations() > 0 ? search.iterations() : defaults.iterations(),
                search.population() > 0 ? search.population() : defaults.population(),
                defaults.margin(), defaults.marginWeight(), defaults.seed());
        return quantizer.quantizeMetaAug(model, source, augmentable, settings, out, MetaAugCalibration.Listener.NONE)
                .summary();
    }
}
