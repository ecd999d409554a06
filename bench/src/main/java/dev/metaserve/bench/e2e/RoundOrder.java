package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order the modes of a phase run in, round by round: odd rounds reverse the even round before them, so over each
 * pair of rounds every mode's mean position is the same and a steady drift of the machine falls on all alike; each
 * pair starts one place further on, so the first slot (just after the other phase) does not always go to one mode.
 */
final class RoundOrder {
    private RoundOrder() {}

    static <T> List<T> of(List<T> items, int round) {
        List<T> order = new ArrayList<>(items);
        if (!order.isEmpty()) {
            Collections.rotate(order, -((round / 2) % order.size()));
        }
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }
}
