package dev.metaserve.selector.baselines;

import dev.metaserve.selector.features.TaskFeatures;
import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/**
 * The classifier baselines (as in MetaInf: random forest, gradient boosting): a Tribuo classifier learns the best
 * candidate of each training problem from the task's features; a new task takes the offered candidate with the
 * highest class score, else the single-best order.
 */
public final class BestCandidateClassifier implements SelectionMethod {
    private final String name;
    private final Function<Long, Trainer<Label>> trainer;

    /** @param trainer makes the Tribuo trainer for a seed */
    public BestCandidateClassifier(String name, Function<Long, Trainer<Label>> trainer) {
        this.name = name;
        this.trainer = trainer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Selector train(TrainingContext context) {
        TaskFeatures features = context.taskFeatures();
        List<SelectionProblem> problems = context.problems();
        TribuoData<Label> data = new TribuoData<>(new LabelFactory(), features.names());
        List<double[]> x = problems.stream().map(p -> features.of(p.task())).toList();
        List<Label> y = problems.stream().map(p -> new Label(p.key(p.best()).toString())).toList();
        CandidateRanking fallback = CandidateRanking.of(problems);
        if (y.stream().distinct().count() < 2) {
            // one class: nothing to classify (XGBoost refuses it); the single-best order is the same answer
            return query -> Choice.of(fallback.pickOrFirst(query.candidates()));
        }
        Model<Label> model = trainer.apply(context.seed()).train(data.dataset(name + " best candidate", x, y));
        return query -> {
            Prediction<Label> prediction = model.predict(data.query(features.of(query.task())));
            Map<String, Candidate> offered = new HashMap<>();
            for (Candidate c : query.candidates()) {
                offered.putIfAbsent(c.key().toString(), c);
            }
            List<Label> scored = new ArrayList<>(prediction.getOutputScores().values());
            scored.sort(Comparator.comparingDouble(Label::getScore).reversed().thenComparing(Label::getLabel));
            for (Label label : scored) {
                Candidate c = offered.get(label.getLabel());
                if (c != null && label.getScore() > 0) {
                    return Choice.of(c);
                }
            }
            return Choice.of(fallback.pickOrFirst(query.candidates()));
        };
    }
}
