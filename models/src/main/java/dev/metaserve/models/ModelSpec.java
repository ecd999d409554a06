package dev.metaserve.models;

/** What a served model is called on the wire: its v2 name, its one version and the platform that runs it. */
public record ModelSpec(String name, String version, String platform) {
    /** sentence-transformers/all-MiniLM-L6-v2 exported to ONNX, 384-dimensional sentence embeddings. */
    public static final ModelSpec ALL_MINILM_L6_V2 = new ModelSpec("all-minilm-l6-v2", "1", "onnxruntime_onnx");
}
