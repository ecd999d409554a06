package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.SamplingParams;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.models.bpe.BpeTokenizer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A checked {@link GenerateRequest}: the engine's job, the stop sequences the node cuts at, and the decoding it runs
 * under. Defaults: {@code max_tokens} 0 means {@value #DEFAULT_MAX_TOKENS}, temperature and top_p 1, a random seed, the
 * model's own decoding. An empty prompt is the single end-of-text token (a document start, as in training); a literal
 * {@code <|endoftext|>} in the prompt is that token too.
 */
public record GenerationRequest(GenerationJob job, List<String> stops, Decoding decoding) {
    public static final int DEFAULT_MAX_TOKENS = 16;
    public static final int MAX_STOPS = 4;

    /**
     * @param seeds where a seed comes from when the request has none
     * @throws ModelNotFoundException   when the request names another model
     * @throws InvalidRequestException  naming the field that is wrong
     */
    public static GenerationRequest from(GenerateRequest request, TextGenerationModel model, LongSupplier seeds) {
        if (!model.name().equals(request.getModel())) {
            throw new ModelNotFoundException(request.getModel());
        }
        int maxTokens = request.getMaxTokens();
        if (maxTokens < 0) {
            throw new InvalidRequestException("'max_tokens' must be at least 1 (0 means " + DEFAULT_MAX_TOKENS
                    + "), was " + maxTokens);
        }
        double temperature = request.hasTemperature() ? request.getTemperature() : 1.0;
        if (!(temperature >= 0 && temperature <= SamplingParams.MAX_TEMPERATURE)) {
            throw new InvalidRequestException("'temperature' must be in [0, 2], was " + request.getTemperature());
        }
        double topP = request.hasTopP() ? request.getTopP() : 1.0;
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidRequestException("'top_p' must be in (0, 1], was " + request.getTopP());
        }
        List<String> stops = checkedStops(request.getStopList());
        Decoding decoding = decoding(request.getPlan(), model);
        int[] prompt = promptTokens(request.getPrompt(), model.tokenizer());
        if (prompt.length + 1 > model.contextLength()) {
            throw new InvalidRequestException("'prompt' is " + prompt.length + " tokens; model '" + model.name()
                    + "' has a context of " + model.contextLength() + " tokens, which leaves no room to generate");
        }
        long seed = request.hasSeed() ? request.getSeed() : seeds.getAsLong();
        GenerationJob job = new GenerationJob(prompt, maxTokens == 0 ? DEFAULT_MAX_TOKENS : maxTokens,
                new SamplingParams(temperature, topP, seed), decoding);
        return new GenerationRequest(job, stops, decoding);
    }

    /** The plan text echoed back: only the decoding matters to generation. */
    public String planText() {
        return "decoding=" + decoding;
    }

    private static List<String> checkedStops(List<String> stops) {
        if (stops.size() > MAX_STOPS) {
            throw new InvalidRequestException("'stop' holds " + stops.size() + " sequences; at most " + MAX_STOPS
                    + " are allowed");
        }
        for (int i = 0; i < stops.size(); i++) {
            if (stops.get(i).isEmpty()) {
                throw new InvalidRequestException("'stop' sequence " + i + " is empty");
            }
        }
        return List.copyOf(stops);
    }

    /** The plan's decoding, or the model's own when the plan is empty or names none. */
    private static Decoding decoding(String planText, TextGenerationModel model) {
        if (planText.isBlank()) {
            return model.defaultDecoding();
        }
        Plan plan;
        try {
            plan = Plan.parse(planText);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'plan': " + e.getMessage());
        }
        if (plan.batching() != Batching.NONE || plan.precision() != Precision.FP32) {
            throw new InvalidRequestException("'plan' '" + planText + "': text generation chooses only 'decoding'"
                    + " (its batching is continuous, its precision fp32)");
        }
        boolean namesDecoding = planText.contains("decoding");
        Decoding decoding = namesDecoding ? plan.decoding() : model.defaultDecoding();
        if (!model.canRun(decoding)) {
            throw new InvalidRequestException("'plan': model '" + model.name() + "' cannot run decoding " + decoding
                    + "; it runs " + model.descriptor().getDecodingsList());
        }
        return decoding;
    }

    private static int[] promptTokens(String prompt, BpeTokenizer tokenizer) {
        if (prompt.isEmpty()) {
            return new int[] {BpeTokenizer.END_OF_TEXT_ID};
        }
        return tokenizer.encode(prompt);
    }
}
