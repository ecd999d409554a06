package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How evidence is discounted: by age, by number, by surprise. */
class ForgettingTest {
    private static final long SECOND = 1_000_000_000L;
    private final Forgetting forgetting = new Forgetting(OnlinePolicySettings.defaults()
            .withEvidenceHalfLife(Duration.ofSeconds(10)).withEvidenceWindow(10));

    private Evidence steady(double score, int times) {
        Evidence e = Evidence.NONE;
        for (int i = 0; i < times; i++) {
            e = forgetting.add(e, score + (i % 2 == 0 ? 0.05 : -0.05), 0);
        }
        return e;
    }

    @Test
    void evidenceWeighsHalfAfterAHalfLife() {
        Evidence e = steady(1.0, 4);
        assertThat(forgetting.weightAt(e, 10 * SECOND)).isCloseTo(e.weight() / 2, offset(1e-9));
        assertThat(forgetting.weightAt(Evidence.NONE, 10 * SECOND)).isZero();
    }

    @Test
    void weightIsBoundedByTheWindowHoweverManyObservations() {
        assertThat(steady(1.0, 1000).weight()).isCloseTo(10, offset(1e-6));
        assertThat(steady(1.0, 1000).mean()).isCloseTo(1.0, offset(0.01));
    }

    @Test
    void aLoneOutlierMovesTheMeanALittleAndASustainedShiftQuickly() {
        Evidence settled = steady(2.3, 200);
        Evidence outlier = forgetting.add(settled, 2.3 + 3, 0);
        assertThat(outlier.mean() - 2.3).isBetween(0.2, 0.6);
        Evidence back = outlier;
        for (int i = 0; i < 30; i++) { // three windows
            back = forgetting.add(back, 2.3, 0);
        }
        assertThat(back.mean()).isCloseTo(2.3, offset(0.05));

        Evidence shifted = settled;
        for (int i = 0; i < 3; i++) {
            shifted = forgetting.add(shifted, 2.3 + Math.log(5), 0);
        }
        assertThat(shifted.mean()).as("three requests 5x slower").isGreaterThan(2.3 + 1.0);
    }

    @Test
    void withoutSurpriseAShiftIsLearntOnlyAtTheWindowsPace() {
        Forgetting plain = new Forgetting(OnlinePolicySettings.defaults().withEvidenceWindow(10)
                .withSurpriseSds(Double.POSITIVE_INFINITY));
        Evidence e = Evidence.NONE;
        for (int i = 0; i < 200; i++) {
            e = plain.add(e, 2.3, 0);
        }
        for (int i = 0; i < 3; i++) {
            e = plain.add(e, 2.3 + Math.log(5), 0);
        }
        assertThat(e.mean()).isLessThan(2.3 + 0.5);
    }

    @Test
    void aNoisyNodesSpreadIsStillLearntAndItsEvidenceNotKeptSmall() {
        Forgetting defaults = new Forgetting(OnlinePolicySettings.defaults());
        SplittableRandom random = new SplittableRandom(3);
        Evidence e = Evidence.NONE;
        double smallestLateWeight = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 5000; i++) {
            e = defaults.add(e, 2.3 + 0.6 * random.nextGaussian(), 0);
            if (i > 4000) {
                smallestLateWeight = Math.min(smallestLateWeight, e.weight());
            }
        }
        assertThat(Math.sqrt(e.variance())).as("learnt spread of scores with sd 0.6").isBetween(0.4, 0.7);
        assertThat(smallestLateWeight).isGreaterThan(8);
    }

    @Test
    void spreadIsTheWeightedVarianceOfTheScores() {
        Evidence e = steady(1.0, 1000);
        assertThat(e.variance()).isCloseTo(0.05 * 0.05, offset(2e-4));
        assertThat(forgetting.noiseVariance(e)).isEqualTo(0.25 * 0.25);
    }
}
