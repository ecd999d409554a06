package dev.metaserve.selector.method;

import dev.metaserve.selector.problem.Candidate;
import java.util.List;

/**
 * What a method chose: one candidate, or (the random baseline) a uniform draw among several, which evaluation scores
 * by its expectation.
 *
 * @param picks the candidates, each chosen with probability {@code 1 / picks.size()}
 */
public record Choice(List<Candidate> picks) {
    public Choice {
        picks = List.copyOf(picks);
        if (picks.isEmpty()) {
            throw new IllegalArgumentException("choice: no candidate picked");
        }
    }

    public static Choice of(Candidate candidate) {
        return new Choice(List.of(candidate));
    }

    /** The candidate of a single choice (the first of a uniform one). */
    public Candidate first() {
        return picks.get(0);
    }
}
