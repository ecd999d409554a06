package dev.metaserve.selector.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientBoostingTest {
    private static final BoostingSettings SETTINGS = new BoostingSettings(200, 3, 0.1, 2, 0.8, 1.0, 0.1, 64);

    /** y = 1 when x0 > 0.5 and x1 > 0.5 (an interaction), else 0; x2 is noise. */
    private static double[][] rows(int n, Random random) {
        double[][] x = new double[n][3];
        for (double[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = random.nextDouble();
            }
        }
        return x;
    }

    private static double target(double[] row) {
        return row[0] > 0.5 && row[1] > 0.5 ? 1 : 0;
    }

    @Test
    void squaredLossLearnsAnInteraction() {
        Random random = new Random(1);
        double[][] x = rows(400, random);
        double[] y = new double[x.length];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = target(x[i]);
            w[i] = 1;
        }
        BoostedTrees model = new GradientBoosting(SETTINGS).fit(x, y, w, 7);

        int right = 0;
        double[][] test = rows(200, random);
        for (double[] row : test) {
            if ((model.predict(row) > 0.5) == (target(row) == 1)) {
                right++;
            }
        }
        assertThat(right).isGreaterThanOrEqualTo(190);
        assertThat(model.predict(new double[] {0.9, 0.9, 0.1})).isCloseTo(1, within(0.1));
        assertThat(model.predict(new double[] {0.1, 0.9, 0.9})).isCloseTo(0, within(0.1));
    }

    @Test
    void pairwiseLossLearnsTheOrderWithinGroups() {
        Random random = new Random(2);
        List<int[]> groups = new ArrayList<>();
        double[][] x = rows(300, random);
        double[] y = new double[x.length];
        for (int g = 0; g < 100; g++) {
            groups.add(new int[] {3 * g, 3 * g + 1, 3 * g + 2});
        }
        for (int i = 0; i < x.length; i++) {
            y[i] = -target(x[i]) + 0.1 * x[i][2];
        }
        BoostedTrees model = new GradientBoosting(SETTINGS).fit(x, new PairwiseLoss(y, groups), 7);

        double[] good = {0.9, 0.9, 0.5};
        double[] bad = {0.1, 0.9, 0.5};
        assertThat(model.predict(good)).isLessThan(model.predict(bad));
    }

    @Test
    void theFlatForestPredictsTheMeanOfItsMembers() {
        Random random = new Random(3);
        double[][] x = rows(200, random);
        double[] y = new double[x.length];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = target(x[i]) + x[i][2];
            w[i] = 1 + i % 3;
        }
        GradientBoosting boosting = new GradientBoosting(SETTINGS);
        List<BoostedTrees> members = List.of(boosting.fit(x, y, w, 1), boosting.fit(x, y, w, 2));
        FlatForest forest = new FlatForest(members);
        double[][] test = rows(20, random);
        double[] all = forest.predictAll(test);

        for (int i = 0; i < test.length; i++) {
            double mean = (members.get(0).predict(test[i]) + members.get(1).predict(test[i])) / 2;
            assertThat(forest.predict(test[i])).isCloseTo(mean, within(1e-9));
            assertThat(all[i]).isCloseTo(mean, within(1e-9));
        }
    }
}
