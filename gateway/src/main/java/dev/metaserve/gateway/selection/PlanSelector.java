package dev.metaserve.gateway.selection;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.config.SelectorConfig;
import dev.metaserve.gateway.routing.RegisteredNode;
import dev.metaserve.selector.model.ModelFormatException;
import dev.metaserve.selector.model.ModelPriors;
import dev.metaserve.selector.model.SelectorModel;
import dev.metaserve.selector.model.SelectorModelFile;
import dev.metaserve.selector.online.Decision;
import dev.metaserve.selector.online.OnlinePolicy;
import dev.metaserve.selector.online.OnlinePolicySettings;
import dev.metaserve.selector.online.PolicySnapshot;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The selector in the gateway: chooses node and plan for a request that names no plan (the online policy over the
 * catalog's candidates, with priors from the served model), learns from every served request, counts decisions per
 * plan, and puts a new model in service without stopping decisions. A model that does not load, or whose priors fail,
 * is refused and the current one keeps serving.
 */
@Startup // made at boot, not by the first request on an event loop: it reads the model
@ApplicationScoped
public class PlanSelector {
    private static final Logger LOG = Logger.getLogger(PlanSelector.class);

    /**
     * The choice for one request: the policy's decision (with the node's {@link #loadFactor} when it was chosen), the
     * node to call and the plan to ask it for.
     */
    public record Choice(Decision decision, RegisteredNode node, Plan plan) {
        /**
         * How long a call counts in its node's backlog: what the selector expected of it on an idle node, NaN when the
         * selector did not choose it ({@code choice} null).
         */
        public static double expectedIdleLatencyMs(Choice choice) {
            return choice == null ? Double.NaN : choice.decision().expectedIdleLatencyMs();
        }
    }

    /**
     * @param outcome "loaded" or "refused"
     * @param modelId the model in service after the attempt
     * @param message what happened, for people
     */
    public record ReloadResult(String outcome, String modelId, String message) {}

    private final SelectorConfig config;
    private final CandidateCatalog catalog;
    private final LiveHistory history;
    private final MeterRegistry meters;
    private final OnlinePolicy policy;
    private final Objective defaultObjective;
    private final boolean processorSharing;
    private final boolean sharedHosts;
    /** Per model, per plan: no key is built per decision. */
    private final Map<String, Map<Plan, Counter>> decisionCounters = new ConcurrentHashMap<>();
    private final Counter failures;
    private final Map<String, Counter> reloadCounters = new ConcurrentHashMap<>();
    private final Object reloadLock = new Object();
    private volatile ServedModel served;
    private volatile String lastReloadError;

    public PlanSelector(GatewayConfig gatewayConfig, CandidateCatalog catalog, LiveHistory history,
            MeterRegistry meters) {
        this.config = gatewayConfig.selector();
        this.catalog = catalog;
        this.history = history;
        this.meters = meters;
        this.failures = Counter.builder("gateway.selector.failures")
                .description("Requests routed least-loaded because the selector failed").register(meters);
        this.defaultObjective = RequestPreferences.objective(config.objective(), "gateway.selector.objective");
        this.processorSharing = config.loadModel() == SelectorConfig.LoadModel.PROCESSOR_SHARING;
        this.sharedHosts = config.sharedHosts();
        if (!(config.qualityTolerance() >= 0) || !Double.isFinite(config.qualityTolerance())) {
            throw new IllegalArgumentException("gateway.selector.quality-tolerance must be a finite number >= 0, was "
                    + config.qualityTolerance());
        }
        this.served = initialModel();
        if (config.plansPerNode() < 0) {
            throw new IllegalArgumentException("gateway.selector.plans-per-node must be >= 0, was "
                    + config.plansPerNode());
        }
        this.policy = new OnlinePolicy(new ModelPriors(served.model()), served.id(),
                OnlinePolicySettings.defaults().withPlansPerNode(config.plansPerNode())
                        .withNodeLevelPseudoCount(config.nodeLevelPseudoCount())
                        .withLoadElasticity(config.loadElasticity(), config.loadElasticityPseudoCount()),
                System::nanoTime,
                ThreadLocalRandom.current().nextLong());
        LOG.infof("selector %s: model %s from %s", config.enabled() ? "on" : "off", served.id(), served.source());
    }

    /** A model file given and readable, else the bundled model (and the file's problem is shown). */
    private ServedModel initialModel() {
        if (config.modelFile().isPresent()) {
            Path file = config.modelFile().get();
            try {
                return new ServedModel(SelectorModelFile.read(file), file.toString(), Instant.now());
            } catch (ModelFormatException e) {
                lastReloadError = e.getMessage();
                LOG.errorf("selector model file refused, serving the bundled model until it is fixed: %s",
                        e.getMessage());
            }
        }
        try {
            return new ServedModel(SelectorModelFile.bundled(), "bundled", Instant.now());
        } catch (ModelFormatException e) {
            throw new IllegalStateException("the bundled selector model does not load: " + e.getMessage(), e);
        }
    }

    /** Whether requests that name no plan are given one by the selector. */
    public boolean enabled() {
        return config.enabled();
    }

    public Objective defaultObjective() {
        return defaultObjective;
    }

    public double defaultQualityTolerance() {
        return config.qualityTolerance();
    }

    public ServedModel served() {
        return served;
    }

    /**
     * Node and plan for a task, among the live nodes serving its model that are not excluded.
     *
     * @return empty when no such node is left
     */
    public Optional<Choice> choose(TaskProfile task, Set<String> excludedNodeIds) {
        CandidateCatalog.ModelCandidates available = catalog.of(task.model()).excluding(excludedNodeIds);
        if (available.candidates().isEmpty()) {
            return Optional.empty();
        }
        // a request waits behind the work its node already has: the policy believes in each candidate's speed on an
        // idle node, and a busy node's candidates look slower by its load for this decision (so the choices do not
        // all pile onto the node that is fastest when idle)
        List<RegisteredNode> nodes = available.nodes();
        Decision decision = policy.choose(task, available.candidates(), processorSharing
                ? (i, expectedMs) -> nodes.get(i).backlogFactor(expectedMs) * hostFactor(nodes.get(i))
                : (i, expectedMs) -> loadFactor(nodes.get(i)));
        Plan plan = decision.candidate().plan();
        decisionCounters.computeIfAbsent(task.model(), m -> new ConcurrentHashMap<>())
                .computeIfAbsent(plan, p -> Counter.builder("gateway.selector.decisions")
                        .description("Node and plan choices of the selector, per model and plan")
                        .tags("model", task.model(), "plan", p.toString())
                        .register(meters))
                .increment();
        return Optional.of(new Choice(decision, nodes.get(decision.index()), plan));
    }

    /**
     * As {@link #choose}, but null both when no node is left and when the policy fails (logged), so the caller can
     * fall back to least-loaded routing under the node's default plan: a broken selector must not fail requests.
     */
    public Choice chooseOrNull(TaskProfile task, Set<String> excludedNodeIds) {
        try {
            return choose(task, excludedNodeIds).orElse(null);
        } catch (RuntimeException e) {
            LOG.warnf(e, "selector failed for %s; routing least-loaded instead", task);
            failures.increment();
            return null;
        }
    }

    /**
     * How many requests' worth of work a new request to the node waits behind, itself included, counting calls: 1 +
     * the calls this gateway has open to it + what the node last reported queued (as least-loaded routing counts
     * load), times its {@link #hostFactor}. Decisions use it under {@code load-model=calls} (else
     * {@link RegisteredNode#backlogFactor} times the host factor); a request that named its plan is learnt from under
     * it, as nothing was expected of it (processor sharing weighs calls by the expected length). The policy learns
     * per task class, node and batching how latency grows with the factor, from chosen and named requests alike.
     */
    public double loadFactor(RegisteredNode node) {
        return (1.0 + node.inFlight() + node.reportedLoad().getQueueDepth()) * hostFactor(node);
    }

    /** How much the other nodes on the node's machine slow it now ({@code shared-hosts}); 1 when that is off. */
    private double hostFactor(RegisteredNode node) {
        return sharedHosts ? node.hostFactor() : 1.0;
    }

    /**
     * A chosen request was served: the policy learns from its latency under the load factor it was sent under (what
     * the candidate takes on an idle node, and how load slows the class on that node); the history records the latency
     * as measured.
     */
    public void served(Choice choice, double latencyMs, int generatedTokens) {
        policy.observe(choice.decision(), latencyMs);
        record(choice.decision().task(), choice.decision().candidate(), latencyMs, generatedTokens);
    }

    /**
     * A request that named its own plan (or was routed without the selector) was served: learn from it too.
     *
     * @param loadFactor the node's {@link #loadFactor} when the request was sent
     */
    public void servedNamed(TaskProfile task, RegisteredNode node, Plan plan, double latencyMs, int generatedTokens,
            double loadFactor) {
        Candidate candidate = CandidateCatalog.candidate(node, plan);
        policy.observe(task, candidate, latencyMs, loadFactor);
        record(task, candidate, latencyMs, generatedTokens);
    }

    private void record(TaskProfile task, Candidate candidate, double latencyMs, int generatedTokens) {
        if (history.recording()) {
            history.add(task, candidate, latencyMs, generatedTokens,
                    served.model().quality().estimate(task, candidate));
        }
    }

    /**
     * Loads a model file and puts it in service; decisions go on meanwhile with the current model.
     *
     * @return "loaded" with the new model's id, or "refused" with why; when refused, the current model stays
     */
    public ReloadResult reload(Path file) {
        synchronized (reloadLock) {
            SelectorModel next;
            try {
                next = SelectorModelFile.read(file);
                policy.replacePriors(new ModelPriors(next), next.header().modelId());
            } catch (ModelFormatException | RuntimeException e) {
                lastReloadError = Instant.now() + ": " + e.getMessage();
                count("refused");
                LOG.errorf("selector model %s refused, %s keeps serving: %s", file, served.id(), e.getMessage());
                return new ReloadResult("refused", served.id(), e.getMessage());
            }
            String previous = served.id();
            served = new ServedModel(next, file.toString(), Instant.now());
            lastReloadError = null;
            count("loaded");
            LOG.infof("selector model %s in service (was %s), from %s", next.header().modelId(), previous, file);
            return new ReloadResult("loaded", next.header().modelId(), "model " + next.header().modelId()
                    + " from " + file + " in service (was " + previous + ")");
        }
    }

    private void count(String outcome) {
        reloadCounters.computeIfAbsent(outcome, o -> Counter.builder("gateway.selector.reloads")
                .description("Attempts to put a new selector model in service").tag("outcome", o)
                .register(meters)).increment();
    }

    /** The last refused model's error, or null when the last attempt succeeded (or none was made). */
    public String lastReloadError() {
        return lastReloadError;
    }

    public PolicySnapshot policySnapshot() {
        return policy.snapshot();
    }
}
