package dev.metaserve.quant.metaaug;

import dev.metaserve.quant.calibration.CalibrationInputs;
import java.util.List;

/**
 * Calibration data together with a family of transformations {@code T_theta} of it. {@code theta} is a vector of
 * strengths, each in {@code [0, upperBound]}; the all-zero vector must be the identity.
 */
public interface AugmentableInputs {
    /** One name per component of theta, for progress output and summaries. */
    List<String> parameterNames();

    /** The largest value each component of theta may take (the smallest is 0). */
    double[] upperBounds();

    /** The untransformed data {@code X}: the outer objective is measured on it. */
    CalibrationInputs original();

    /** {@code T_theta(X)}: deterministic given theta and seed; the inner problem fits quantization parameters on it. */
    CalibrationInputs transformed(double[] theta, long seed);

    /** How far {@code T_theta} is from the identity, 0 for theta = 0 (e.g. the expected share of tokens changed). */
    double distanceFromIdentity(double[] theta);
}
