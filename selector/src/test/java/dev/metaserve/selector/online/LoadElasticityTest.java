package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadElasticityTest {
    private final SplittableRandom random = new SplittableRandom(7);

    /**
     * Scores of a candidate whose latency grows with the load factor to the power {@code slope}, at its own level,
     * under load factors from {@code minLoad} to {@code maxLoad}.
     */
    private void feed(LoadElasticity elasticity, LoadElasticity.Track track, double slope, double level, int minLoad,
            int maxLoad, int n) {
        for (int i = 0; i < n; i++) {
            double logLoad = Math.log(minLoad + random.nextInt(maxLoad - minLoad + 1));
            elasticity.add(track, logLoad, level + slope * logLoad + 0.1 * random.nextGaussian());
        }
    }

    private void feed(LoadElasticity elasticity, double slope, int n) {
        feed(elasticity, new LoadElasticity.Track(), slope, 0, 1, 6, n);
    }

    @Test
    void learnsTheSlopeWithinEachCandidateWhateverTheirLevels() {
        LoadElasticity elasticity = new LoadElasticity(1, 2);
        LoadElasticity.Track quick = new LoadElasticity.Track();
        LoadElasticity.Track slowOne = new LoadElasticity.Track();
        for (int i = 0; i < 10; i++) {
            feed(elasticity, quick, 0.3, -1, 1, 6, 40);
            feed(elasticity, slowOne, 0.3, 0.7, 1, 6, 40);
        }
        assertThat(elasticity.value()).isCloseTo(0.3, within(0.05));
    }

    @Test
    void aFastCandidateServedOnlyUnderHeavyLoadDoesNotBendTheSlope() {
        // one slope and intercept over both would see scores fall as load rises (the fast one is the loaded one)
        LoadElasticity elasticity = new LoadElasticity(1, 2);
        LoadElasticity.Track light = new LoadElasticity.Track();
        LoadElasticity.Track heavy = new LoadElasticity.Track();
        for (int i = 0; i < 10; i++) {
            feed(elasticity, light, 0.5, 1, 1, 2, 40);
            feed(elasticity, heavy, 0.5, -1, 8, 12, 40);
        }
        assertThat(elasticity.value()).isCloseTo(0.5, within(0.1));
    }

    @Test
    void candidatesEachServedUnderOneLoadLeaveTheSlopeAtThePrior() {
        LoadElasticity elasticity = new LoadElasticity(1, 2);
        LoadElasticity.Track atTwo = new LoadElasticity.Track();
        LoadElasticity.Track atSix = new LoadElasticity.Track();
        feed(elasticity, atTwo, 0.4, 0, 2, 2, 200);
        feed(elasticity, atSix, 0.4, 2, 6, 6, 200); // far slower at six: a level or a slope? nothing tells
        assertThat(elasticity.value()).isCloseTo(1, within(0.05));
    }

    @Test
    void anInfinitePseudoCountKeepsThePrior() {
        LoadElasticity fixed = new LoadElasticity(0.5, Double.POSITIVE_INFINITY);
        feed(fixed, 0.1, 100);
        assertThat(fixed.learning()).isFalse();
        assertThat(fixed.value()).isEqualTo(0.5);
    }

    @Test
    void startsAtThePriorAndFollowsANodeThatChanges() {
        LoadElasticity elasticity = new LoadElasticity(1, 2);
        LoadElasticity.Track track = new LoadElasticity.Track();
        assertThat(elasticity.value()).isEqualTo(1);
        feed(elasticity, track, 0.2, 0, 1, 6, 300);
        assertThat(elasticity.value()).isCloseTo(0.2, within(0.05));
        feed(elasticity, track, 0.9, 0, 1, 6, 600); // requests now queue one behind the other
        assertThat(elasticity.value()).isCloseTo(0.9, within(0.05));
    }

    @Test
    void isKeptWithinZeroAndTheMaximum() {
        LoadElasticity faster = new LoadElasticity(1, 1);
        feed(faster, -1, 200);
        assertThat(faster.value()).isZero();
        LoadElasticity slower = new LoadElasticity(1, 1);
        feed(slower, 5, 200);
        assertThat(slower.value()).isEqualTo(LoadElasticity.MAX);
    }

    @Test
    void aClassStartsFromItsNodeAndTeachesIt() {
        LoadElasticity node = new LoadElasticity(1, 2);
        LoadElasticity first = new LoadElasticity(node, 2);
        feed(first, 0.3, 400);
        assertThat(node.value()).isCloseTo(0.3, within(0.05));
        LoadElasticity second = new LoadElasticity(node, 2);
        assertThat(second.value()).isEqualTo(node.value());
        feed(second, new LoadElasticity.Track(), 0.8, 0.5, 1, 6, 400);
        assertThat(second.value()).isCloseTo(0.8, within(0.05));
    }
}
