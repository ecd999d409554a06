/** MetaAug-style calibration: a parameterised transformation of the calibration data, tuned for the quantized model's error on the original data. */
package dev.metaserve.quant.metaaug;
