package dev.metaserve.bench.e2e;

import java.util.Arrays;

/**
 * One mode's measured requests of one task class in one round: how many, and their latencies summed. What a bootstrap
 * over rounds ({@link MatchUncertainty}) draws, and what a result file keeps of each round ({@code meanMs} times
 * {@code samples}).
 */
record RoundTotal(long requests, double totalMs) {
    RoundTotal {
        if (requests < 0 || !(totalMs >= 0) || Double.isInfinite(totalMs)) {
            throw new IllegalArgumentException("a round's total needs requests >= 0 and a finite latency sum >= 0, was "
                    + requests + " requests, " + totalMs + " ms");
        }
    }

    /** Mean latency of the round's requests in ms; NaN when there were none. */
    double meanMs() {
        return requests == 0 ? Double.NaN : totalMs / requests;
    }

    static RoundTotal of(long[] latenciesNanos) {
        return new RoundTotal(latenciesNanos.length, Arrays.stream(latenciesNanos).sum() / 1e6);
    }
}
