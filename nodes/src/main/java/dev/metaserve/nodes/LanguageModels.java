package dev.metaserve.nodes;

import dev.metaserve.nodes.generation.TextGenerationModel;
import java.util.Optional;

/**
 * Where a node's language model comes from ({@code --lm}): {@value #BUNDLED}, the target and draft models and the BPE
 * tokenizer shipped in the models jar, or {@value #NONE}. Tests pass their own loader to {@link NodeAgent#start}.
 */
@FunctionalInterface
public interface LanguageModels {
    String BUNDLED = "bundled";
    String NONE = "none";

    /** The model the settings ask for, or empty when they ask for none; the caller owns (closes) it. */
    Optional<TextGenerationModel> load(NodeSettings settings);

    /** Builds the real engine over the bundled models. */
    LanguageModels PRODUCTION = settings -> settings.languageModel().equals(NONE)
            ? Optional.empty() : Optional.of(BundledLanguageModel.load(settings));
}
