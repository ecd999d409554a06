/** Training of the decoder with DJL: corpus split, token windows, AdamW with warm-up and cosine decay, held-out perplexity. */
package dev.metaserve.lmtrain.train;
