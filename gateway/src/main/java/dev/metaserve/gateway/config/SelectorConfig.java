package dev.metaserve.gateway.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The selector's settings, under {@code gateway.selector.}; each has its default here and in README.md. */
public interface SelectorConfig {

    /** Whether requests that name no plan get their node and plan from the selector (else: least-loaded node, its default plan). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Model file to serve (written by {@code selector train}); checked every {@link #reloadInterval()} and reloaded
     * when it changes. Absent: the model bundled with the gateway, trained on the committed sweep snapshot.
     */
    Optional<Path> modelFile();

    /** How often the model file is checked for a change. */
    @WithDefault("2s")
    Duration reloadInterval();

    /** Objective of requests that name none: {@code latency} or {@code throughput}. */
    @WithDefault("latency")
    String objective();

    /**
     * Quality loss versus fp32 a request accepts when it names none (parameter {@code quality_tolerance}), on the
     * scale of the history's quality delta (1 - cosine for embeddings). 0: results as the fp32 model gives them (lossless
     * accelerations only); 0.02 admits INT8, which measured about 0.011.
     */
    @WithDefault("0")
    double qualityTolerance();

    /** Batchings the selector may choose for embedding models, separated by ';' (the sweep measured these). */
    @WithDefault("none;dynamic(8,1000);dynamic(32,5000)")
    String batchings();

    /**
     * Decodings the selector may choose for language models, separated by ';' (the sweep measured these); a node
     * offers those whose kind it advertises (it advertises kinds: {@code plain}, {@code draft(K)}, {@code ngram(K,N)}).
     */
    @WithDefault("plain;draft(2);draft(4);ngram(4,2)")
    String decodings();

    /**
     * Per node, how many of its plans the selector may choose for a task: those the model expects to be fastest (0: all).
     * Fewer candidates, less exploration spent on plans the model already expects to lose; every node stays open.
     */
    @WithDefault("2")
    int plansPerNode();

    /**
     * How many observations' worth the task class's level has against what a node's other plans show, when the policy
     * starts a plan of the node from its node's level; {@code Infinity} (default): off, every node follows the class's
     * level ({@code selector-e2e} measured the selector worse with 4 than without).
     */
    @WithDefault("Infinity")
    double nodeLevelPseudoCount();

    /** How a node's load factor counts the calls open to it; see {@link LoadModel}. */
    @WithDefault("processor-sharing")
    LoadModel loadModel();

    /**
     * Whether a node's load factor also counts the work of the other nodes on its machine (nodes that report the same
     * host share its CPUs; see {@code SharedHost}): a request is slowed in proportion once the threads busy on the
     * machine, its own included, outnumber the cores.
     */
    @WithDefault("true")
    boolean sharedHosts();

    /** What a request to a node waits behind, as the selector's load factor counts it. */
    enum LoadModel {
        /** 1 + the calls open to the node + its reported queue: every call as long as the new request. */
        CALLS,
        /**
         * Processor sharing: 1 + the sum over open calls of min(call's expected length, request's) / request's, the
         * reported queue counted as calls as long as the request. A long request is not scared off by short calls.
         */
        PROCESSOR_SHARING
    }

    /**
     * How a node's load factor (1 + calls open to it + its reported queue) slows a request before anything was learnt:
     * the expected latency is multiplied by the factor raised to this (1: proportionally).
     */
    @WithDefault("1")
    double loadElasticity();

    /**
     * How much that starting elasticity weighs against what served requests show of how latency grew with load, per
     * task class, node and batching; {@code Infinity}: the elasticity is never learnt.
     */
    @WithDefault("2")
    double loadElasticityPseudoCount();

    /** Whether served requests are written to the history store. */
    @WithDefault("true")
    boolean record();

    /** Directory of the embedded history database ({@code history.mv.db}), when no JDBC URL is given. */
    @WithDefault("data")
    Path store();

    /** A PostgreSQL history store instead, e.g. {@code jdbc:postgresql://db:5432/metaserve}; password from {@code METASERVE_HISTORY_PASSWORD}. */
    Optional<String> jdbcUrl();

    /** PostgreSQL user (default: the URL's, or the driver's). */
    Optional<String> jdbcUser();

    /** How often served requests are written to the store, one row per task class, node and plan. */
    @WithDefault("10s")
    Duration flushInterval();

    /** Most requests held for the store between flushes; beyond it new ones are counted as dropped, not kept. */
    @WithDefault("100000")
    int maxPending();
}
