package dev.metaserve.selector.method;

/** A way to learn a selector from training problems: the meta-learner or a baseline. */
public interface SelectionMethod {
    /** Short name for tables and JSON, e.g. {@code isac}. */
    String name();

    Selector train(TrainingContext context);
}
