package dev.metaserve.lmtrain.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code manifest.json} beside the models: top-level sections ({@code tokenizer}, {@code corpus}) and one entry per
 * model under {@code models}. Updating replaces one section or model and keeps the others.
 */
public final class Manifest {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private final Path file;
    private final JsonObject root;

    private Manifest(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
    }

    public static Manifest open(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Manifest(file, new JsonObject());
        }
        JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        if (!parsed.isJsonObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        return new Manifest(file, parsed.getAsJsonObject());
    }

    public void putSection(String name, JsonObject section) {
        root.add(name, section);
    }

    public void putModel(String name, JsonObject model) {
        if (!root.has("models")) {
            root.add("models", new JsonObject());
        }
        root.getAsJsonObject("models").add(name, model);
    }

    public JsonObject root() {
        return root;
    }

    public void save() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, GSON.toJson(root) + "\n", StandardCharsets.UTF_8);
    }
}
