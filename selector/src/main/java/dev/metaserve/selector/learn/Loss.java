package dev.metaserve.selector.learn;

/** What boosting minimises: each round fits a tree to the loss's pulls (minus gradients) and hessians. */
interface Loss {
    /** The prediction boosting starts from. */
    double base();

    /** Fills {@code pull} with minus the gradient and {@code hessian} with the second derivative, per row. */
    void gradients(double[] prediction, double[] pull, double[] hessian);
}
