/** The GPT-style decoder as DJL blocks (PyTorch engine, CPU): configuration, layers, attention bias. */
package dev.metaserve.lmtrain.model;
