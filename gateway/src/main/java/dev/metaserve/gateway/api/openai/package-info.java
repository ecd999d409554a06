/** The OpenAI-compatible API: models and embeddings. */
package dev.metaserve.gateway.api.openai;
