/** The OpenAI-compatible API: models, embeddings, completions and chat completions. */
package dev.metaserve.gateway.api.openai;
