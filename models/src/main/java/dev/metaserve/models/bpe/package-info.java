/** A byte-level BPE tokenizer trained by the project: pre-tokenizer, trainer, encoder/decoder and its text file format. */
package dev.metaserve.models.bpe;
