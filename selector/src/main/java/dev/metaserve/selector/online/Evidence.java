package dev.metaserve.selector.online;

/**
 * What live traffic said of one candidate in one task class: a discounted mean of observed scores, their discounted
 * spread, and the discounted number of observations behind them, as of a time. Immutable; an observation makes a new
 * one.
 *
 * @param mean       discounted mean score (log scale, lower is better); 0 while nothing was observed
 * @param squares    discounted sum of squared deviations from the mean, weighted like the mean
 * @param weight     discounted observation count, as of {@code atNanos}
 * @param atNanos    its task class's clock of use at the last observation ({@link ClassState})
 * @param count      observations ever made, undiscounted (for statistics)
 */
record Evidence(double mean, double squares, double weight, long atNanos, long count) {
    static final Evidence NONE = new Evidence(0, 0, 0, Long.MIN_VALUE, 0);

    /** Variance of the observed scores around their mean; 0 before two observations. */
    double variance() {
        return weight == 0 ? 0 : squares / weight;
    }
}
