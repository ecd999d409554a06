package dev.metaserve.nodes;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import java.time.Duration;

/**
 * How a node runs; {@link NodeMain} fills it from the command line.
 *
 * @param nodeId          this node's id at the gateway
 * @param host            address the gateway and clients reach this node at
 * @param port            NodeInference port, 0 to pick a free one
 * @param gateway         host:port of the gateway's NodeRegistry
 * @param joinToken       shared secret the gateway checks on Register; may be empty
 * @param intraOpThreads  ONNX Runtime threads within one model run
 * @param maxBatchSize    most texts one request may carry
 * @param queueCapacity   requests that may wait for a batch (per batching setting in use) before new ones are refused
 * @param workers         batches computed at once
 * @param drainTimeout    how long shutdown waits for accepted requests to finish
 * @param batching        the batching setting of requests that name none
 * @param metricsPort     HTTP port of {@code /metrics}; 0 picks a free one, -1 serves no metrics
 * @param precision       the precision of requests that name none
 * @param int8Model       the INT8 twin to serve next to fp32: {@value Int8Twin#ANCHOR}, {@value Int8Twin#NONE}, or
 *                        the path of an ONNX file
 * @param languageModel   the language model to serve for text generation: {@value LanguageModels#BUNDLED} or
 *                        {@value LanguageModels#NONE}
 * @param decoding        the decoding of generation requests whose plan names none
 * @param injectedDelay   delay added before each NodeInference call is handled, simulating a slow network link; zero
 *                        for none
 */
public record NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                           int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout, Batching batching,
                           int metricsPort, Precision precision, String int8Model, String languageModel,
                           Decoding decoding, Duration injectedDelay) {
    /** Without an injected delay. */
    public NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                        int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout, Batching batching,
                        int metricsPort, Precision precision, String int8Model, String languageModel,
                        Decoding decoding) {
        this(nodeId, host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity, workers, drainTimeout,
                batching, metricsPort, precision, int8Model, languageModel, decoding, Duration.ZERO);
    }

    /** Without batching ({@code none}), without a metrics endpoint and without a language model. */
    public NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                        int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout) {
        this(nodeId, host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity, workers, drainTimeout,
                Batching.NONE, -1, Precision.FP32, Int8Twin.NONE);
    }

    /** Without a language model. */
    public NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                        int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout, Batching batching,
                        int metricsPort, Precision precision, String int8Model) {
        this(nodeId, host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity, workers, drainTimeout,
                batching, metricsPort, precision, int8Model, LanguageModels.NONE, Decoding.PLAIN);
    }

    /** These settings with another language model option. */
    public NodeSettings withLanguageModel(String option) {
        return new NodeSettings(nodeId, host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity,
                workers, drainTimeout, batching, metricsPort, precision, int8Model, option, decoding, injectedDelay);
    }

    /** These settings with another injected delay. */
    public NodeSettings withInjectedDelay(Duration delay) {
        return new NodeSettings(nodeId, host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity,
                workers, drainTimeout, batching, metricsPort, precision, int8Model, languageModel, decoding, delay);
    }

    /** The plan of requests that name none. */
    public Plan defaultPlan() {
        return new Plan(batching, precision);
    }

    public NodeSettings {
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be -1 (off) or in [0, 65535], was " + metricsPort);
        }
        if (batching == null || precision == null) {
            throw new IllegalArgumentException("batching and precision must not be null");
        }
        int8Model = int8Model == null || int8Model.isBlank() ? Int8Twin.NONE : int8Model;
        if (precision == Precision.INT8 && int8Model.equals(Int8Twin.NONE)) {
            throw new IllegalArgumentException("default precision int8 needs an INT8 model (--int8-model)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        }
        if (intraOpThreads < 1 || maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("intra-op threads, max batch size, queue capacity and workers must each"
                    + " be at least 1");
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        if (gateway == null || gateway.isBlank()) {
            throw new IllegalArgumentException("gateway address must not be blank");
        }
        joinToken = joinToken == null ? "" : joinToken;
        languageModel = languageModel == null || languageModel.isBlank() ? LanguageModels.NONE : languageModel;
        if (!languageModel.equals(LanguageModels.NONE) && !languageModel.equals(LanguageModels.BUNDLED)) {
            throw new IllegalArgumentException("language model must be '" + LanguageModels.BUNDLED + "' or '"
                    + LanguageModels.NONE + "', was '" + languageModel + "'");
        }
        if (decoding == null) {
            throw new IllegalArgumentException("decoding must not be null");
        }
        if (injectedDelay == null || injectedDelay.isNegative() || injectedDelay.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("injected delay must be >= 0 ms, was " + injectedDelay);
        }
    }
}
