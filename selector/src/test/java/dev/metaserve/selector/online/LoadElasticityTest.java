package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadElasticityTest {
    private final SplittableRandom random = new SplittableRandom(7);

    /** Residuals of a node where latency grows with the load factor to the power {@code slope}, beliefs off by c. */
    private void feed(LoadElasticity elasticity, double slope, double beliefError, int n) {
        for (int i = 0; i < n; i++) {
            double logLoad = Math.log(1 + random.nextInt(6));
            elasticity.add(logLoad, beliefError + slope * logLoad + 0.1 * random.nextGaussian());
        }
    }

    @Test
    void learnsTheSlopeWhateverTheBeliefsLevel() {
        for (double beliefError : new double[] {-1, 0, 0.7}) {
            LoadElasticity elasticity = new LoadElasticity(1, 2);
            feed(elasticity, 0.3, beliefError, 400);
            assertThat(elasticity.value()).as("belief off by %s", beliefError).isCloseTo(0.3, within(0.05));
        }
    }

    @Test
    void startsAtThePriorAndFollowsANodeThatChanges() {
        LoadElasticity elasticity = new LoadElasticity(1, 2);
        assertThat(elasticity.value()).isEqualTo(1);
        feed(elasticity, 0.2, 0, 300);
        assertThat(elasticity.value()).isCloseTo(0.2, within(0.05));
        feed(elasticity, 0.9, 0, 1500); // requests now queue one behind the other
        assertThat(elasticity.value()).isCloseTo(0.9, within(0.05));
    }

    @Test
    void withoutSpreadInLoadOrWithAnInfinitePseudoCountTheSlopeStaysAtThePrior() {
        LoadElasticity sameLoad = new LoadElasticity(1, 2);
        for (int i = 0; i < 100; i++) {
            sameLoad.add(Math.log(3), 0.2 + 0.05 * random.nextGaussian());
        }
        assertThat(sameLoad.value()).isCloseTo(1, within(0.1));

        LoadElasticity fixed = new LoadElasticity(0.5, Double.POSITIVE_INFINITY);
        feed(fixed, 0.1, 0, 100);
        assertThat(fixed.learning()).isFalse();
        assertThat(fixed.value()).isEqualTo(0.5);
    }

    @Test
    void isKeptWithinZeroAndTheMaximum() {
        LoadElasticity faster = new LoadElasticity(1, 1);
        feed(faster, -1, 0, 200);
        assertThat(faster.value()).isZero();
        LoadElasticity slower = new LoadElasticity(1, 1);
        feed(slower, 5, 0, 200);
        assertThat(slower.value()).isEqualTo(LoadElasticity.MAX);
    }

    @Test
    void aClassStartsFromItsNodeAndTeachesIt() {
        LoadElasticity node = new LoadElasticity(1, 2);
        LoadElasticity first = new LoadElasticity(node, 2);
        feed(first, 0.3, 0, 400);
        assertThat(node.value()).isCloseTo(0.3, within(0.05));
        LoadElasticity second = new LoadElasticity(node, 2);
        assertThat(second.value()).isEqualTo(node.value());
        feed(second, 0.8, 0.5, 400);
        assertThat(second.value()).isCloseTo(0.8, within(0.05));
    }
}
