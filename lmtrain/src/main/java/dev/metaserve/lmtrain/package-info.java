/** Training text, training with DJL (PyTorch engine, CPU) and ONNX export of the project's language models. */
package dev.metaserve.lmtrain;
