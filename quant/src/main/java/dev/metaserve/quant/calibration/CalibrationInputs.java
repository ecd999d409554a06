package dev.metaserve.quant.calibration;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.Map;

/** The inputs calibration runs the model on: {@link #size()} runs, each a feed for every graph input. */
public interface CalibrationInputs {
    int size();

    /** The feed of run {@code index}, keyed by graph input name. The caller owns and closes the tensors. */
    Map<String, OnnxTensor> feeds(int index, OrtEnvironment environment) throws OrtException;
}
