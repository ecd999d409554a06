package dev.metaserve.selector.eval;

import dev.metaserve.selector.features.DescriptionEmbedder;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.problem.SelectionQuery;
import dev.metaserve.selector.quality.QualityEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Leave-task-out cross-validation: for every measurement cell, each method trains on the problems of all other cells
 * and chooses for the held-out problems, which it sees only as queries (task and candidates, nothing measured).
 * Candidates are first narrowed by the fold's {@link QualityEstimator}, fit on the training problems, the same for
 * every method. Folds may run on several threads; results do not depend on the number.
 */
public final class LeaveTaskOutEvaluation {
    private final List<SelectionMethod> methods;
    private final DescriptionEmbedder embedder;
    private final int textComponents;
    private final long seed;
    private final int threads;
    private final Consumer<String> progress;

    public LeaveTaskOutEvaluation(List<SelectionMethod> methods, DescriptionEmbedder embedder, int textComponents,
            long seed, int threads, Consumer<String> progress) {
        this.methods = List.copyOf(methods);
        this.embedder = Objects.requireNonNull(embedder, "embedder must not be null");
        this.textComponents = textComponents;
        this.seed = seed;
        if (threads < 1) {
            throw new IllegalArgumentException("evaluation: threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.progress = progress == null ? s -> { } : progress;
    }

    /** What one fold gave one method. */
    private record FoldResult(List<ScoredChoice> scored, double trainSeconds, double chooseSeconds, int choices) {}

    /** Results per method, in the order the methods were given. */
    public List<MethodResult> run(List<SelectionProblem> problems) {
        List<Fold> folds = Fold.byCell(problems);
        if (folds.size() < 2) {
            throw new IllegalArgumentException("leave-task-out needs at least 2 measurement cells, got " + folds.size());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<FoldResult>>> futures = new ArrayList<>();
            for (int f = 0; f < folds.size(); f++) {
                Fold fold = folds.get(f);
                int number = f + 1;
                futures.add(pool.submit(() -> {
                    List<FoldResult> r = runFold(fold);
                    progress.accept("fold " + number + "/" + folds.size() + " (" + fold.heldOutCell() + ") done");
                    return r;
                }));
            }
            List<List<FoldResult>> perFold = new ArrayList<>();
            for (Future<List<FoldResult>> future : futures) {
                perFold.add(future.get());
            }
            List<MethodResult> results = new ArrayList<>();
            for (int m = 0; m < methods.size(); m++) {
                List<ScoredChoice> scored = new ArrayList<>();
                double train = 0;
                double choose = 0;
                int choices = 0;
                for (List<FoldResult> fold : perFold) {
                    FoldResult r = fold.get(m);
                    scored.addAll(r.scored());
                    train += r.trainSeconds();
                    choose += r.chooseSeconds();
                    choices += r.choices();
                }
                results.add(MethodResult.of(methods.get(m).name(), scored, train, choose / choices * 1e6));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("evaluation failed: " + cause.getMessage(), cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<FoldResult> runFold(Fold fold) {
        QualityEstimator quality = QualityEstimator.fit(fold.training());
        TrainingContext context = new TrainingContext(fold.training(), embedder, textComponents, seed);
        List<SelectionQuery> queries = fold.heldOut().stream().map(p -> quality.gate(p.query())).toList();
        List<FoldResult> results = new ArrayList<>();
        for (SelectionMethod method : methods) {
            long start = System.nanoTime();
            Selector selector = method.train(context);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            List<ScoredChoice> scored = new ArrayList<>();
            long chooseNanos = 0;
            for (int i = 0; i < queries.size(); i++) {
                long t0 = System.nanoTime();
                var choice = selector.choose(queries.get(i));
                chooseNanos += System.nanoTime() - t0;
                scored.add(ScoredChoice.of(fold.heldOut().get(i), choice));
            }
            results.add(new FoldResult(scored, trainSeconds, chooseNanos / 1e9, queries.size()));
        }
        return results;
    }
}
