package dev.metaserve.accelerators.generation;

/**
 * How the next token is picked from the target model's distribution.
 *
 * @param temperature in [0, 2]; 0 means greedy (the most likely token, ties to the smallest id)
 * @param topP        nucleus mass in (0, 1]: sample only among the most likely tokens whose probabilities sum to it
 * @param seed        seed of the job's own random source, so a job is reproducible whatever else runs beside it
 */
public record SamplingParams(double temperature, double topP, long seed) {
    public static final double MAX_TEMPERATURE = 2.0;
    public static final SamplingParams GREEDY = new SamplingParams(0, 1, 0);

    public SamplingParams {
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be in [0, " + MAX_TEMPERATURE + "], was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], was " + topP);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
