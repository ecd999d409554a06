package dev.metaserve.quant.metaaug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossEntropyOptimizerTest {
    /** A bowl with its minimum 0 at (0.3, 0.1, 0.4, 0.25) inside the box [0, 0.5]^4, plus a margin-like kink. */
    private static double bowl(double[] x) {
        double[] centre = {0.3, 0.1, 0.4, 0.25};
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (x[i] - centre[i]) * (x[i] - centre[i]);
        }
        return sum + Math.max(0, 0.05 - x[0]);
    }

    @Test
    void findsTheMinimumOfASyntheticObjectiveFromTheIdentity() {
        double[] upper = {0.5, 0.5, 0.5, 0.5};
        List<Double> values = new ArrayList<>();
        CrossEntropyOptimizer optimizer = new CrossEntropyOptimizer(10, 12, 4);

        CrossEntropyOptimizer.Result result = optimizer.minimize(CrossEntropyOptimizerTest::bowl, new double[4], upper, 0.3,
                (evaluation, total, point, value) -> values.add(value));

        assertThat(result.evaluations()).isEqualTo(121).isEqualTo(values.size());
        assertThat(values.get(0)).isCloseTo(0.3725, within(1e-9)); // the start, theta = 0
        assertThat(result.value()).isLessThan(0.01);
        assertThat(result.best()).containsExactly(new double[] {0.3, 0.1, 0.4, 0.25}, within(0.08));
        assertThat(java.util.Arrays.stream(result.best()).allMatch(x -> x >= 0 && x <= 0.5)).isTrue();
    }

    @Test
    void neverReturnsWorseThanTheStart() {
        double[] upper = {1, 1};
        CrossEntropyOptimizer.Result result = new CrossEntropyOptimizer(2, 3, 1).minimize(
                x -> x[0] + x[1], new double[2], upper, 0.5, CrossEntropyOptimizer.Listener.NONE);

        assertThat(result.value()).isZero();
        assertThat(result.best()).containsExactly(0, 0);
    }
}
