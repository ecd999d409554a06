package dev.metaserve.bench.e2e;

import dev.metaserve.accelerators.Plan;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How the requests of a run choose their plan: {@code selector} names none (the gateway's selector chooses node and
 * plan), {@code fixed:<plan>} names that plan on every request (the gateway routes to the least-loaded node), and
 * {@code random} names a plan drawn uniformly per request, reproducibly from a seed.
 *
 * @param kind which of the three
 * @param plan the plan a fixed mode names, as its phase writes it ({@link Phase#planText}); null otherwise
 */
record Mode(Kind kind, String plan) {
    public enum Kind { SELECTOR, FIXED, RANDOM }

    public static final Mode SELECTOR = new Mode(Kind.SELECTOR, null);
    public static final Mode RANDOM = new Mode(Kind.RANDOM, null);

    public Mode {
        if ((kind == Kind.FIXED) != (plan != null)) {
            throw new IllegalArgumentException("a fixed mode, and only a fixed mode, names a plan");
        }
    }

    public static Mode fixed(String plan) {
        return new Mode(Kind.FIXED, plan);
    }

    /**
     * The mode of a {@link #name()}: {@code selector}, {@code random} or {@code fixed:<plan>}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Mode named(String name) {
        if (name.equals("selector")) {
            return SELECTOR;
        }
        if (name.equals("random")) {
            return RANDOM;
        }
        if (name.startsWith("fixed:") && name.length() > "fixed:".length()) {
            return fixed(name.substring("fixed:".length()));
        }
        throw new IllegalArgumentException("mode '" + name + "' is none of selector, random, fixed:<plan>");
    }

    public boolean isFixed() {
        return kind == Kind.FIXED;
    }

    /** {@code selector}, {@code random} or {@code fixed:<plan>}. */
    public String name() {
        return switch (kind) {
            case SELECTOR -> "selector";
            case RANDOM -> "random";
            case FIXED -> "fixed:" + plan;
        };
    }

    /**
     * The plan request {@code index} of a task class names under this mode, or null for none. A random draw depends
     * only on the seed, the class and the index, so every run of the mode sends the same plans whatever the threads do.
     */
    Plan planFor(List<Plan> plans, long seed, int classNumber, int index) {
        return switch (kind) {
            case SELECTOR -> null;
            case FIXED -> Plan.parse(plan);
            case RANDOM -> plans.get(new SplittableRandom((seed * 31 + classNumber) * 1_000_003L + index)
                    .nextInt(plans.size()));
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
