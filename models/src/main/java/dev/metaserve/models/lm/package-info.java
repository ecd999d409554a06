/**
 * The project's own language models on ONNX Runtime: {@link dev.metaserve.models.lm.OnnxCausalLm} runs a graph of
 * the LM contract with key/value caches for the generation engine; {@link dev.metaserve.models.lm.LmBundle} loads
 * the bundled target, draft and tokenizer.
 */
package dev.metaserve.models.lm;
