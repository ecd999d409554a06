package dev.metaserve.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

    @Test
    void equalLengthsMakeOneRun() {
        List<int[]> runs = LengthBuckets.plan(new int[] {10, 10, 10, 10}, 0.25);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0)).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void veryDifferentLengthsAreSplitAndEveryIndexAppearsOnce() {
        int[] lengths = {80, 9, 10, 78, 11, 40};
        List<int[]> runs = LengthBuckets.plan(lengths, 0.25);

        int[] all = runs.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(runs).hasSizeGreaterThan(1);
        for (int[] run : runs) {
            int longest = Arrays.stream(run).map(i -> lengths[i]).max().orElseThrow();
            int real = Arrays.stream(run).map(i -> lengths[i]).sum();
            assertThat((double) longest * run.length).isLessThanOrEqualTo(1.25 * real);
        }
    }

    @Test
    void aRunIsSortedByLengthAndShortTextsStayTogether() {
        List<int[]> runs = LengthBuckets.plan(new int[] {50, 8, 9, 10}, 0.25);
        assertThat(runs.get(0)).containsExactly(1, 2, 3);
        assertThat(runs.get(1)).containsExactly(0);
    }

    @Test
    void zeroPaddingAllowedStillPlacesEveryText() {
        int[] lengths = IntStream.range(0, 20).map(i -> 5 + i).toArray();
        assertThat(LengthBuckets.plan(lengths, 0.0).stream().mapToInt(r -> r.length).sum()).isEqualTo(20);
        assertThat(LengthBuckets.plan(new int[0], 0.25)).isEmpty();
    }
}
