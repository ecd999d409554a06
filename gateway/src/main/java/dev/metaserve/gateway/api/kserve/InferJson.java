package dev.metaserve.gateway.api.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.metaserve.api.DataType;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.inference.ModelMetadataResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The v2 REST JSON form of inference requests and responses, to and from the protocol messages the
 * nodes speak. Tensor data may be flat or nested row-major arrays; it is flattened here, and the shape
 * check is left to the validator.
 */
public final class InferJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private InferJson() {}

    public static ModelInferRequest request(String model, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object with an 'inputs' array");
        }
        ModelInferRequest.Builder out = ModelInferRequest.newBuilder().setModelName(model);
        if (body.hasNonNull("id")) {
            out.setId(body.get("id").asText());
        }
        parameters(body.get("parameters"), "request").forEach(out::putParameters);
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw new InvalidRequestException("request needs an 'inputs' array");
        }
        for (JsonNode input : inputs) {
            out.addInputs(input(input));
        }
        JsonNode outputs = body.get("outputs");
        if (outputs != null && !outputs.isNull()) {
            if (!outputs.isArray()) {
                throw new InvalidRequestException("'outputs' must be an array");
            }
            for (JsonNode output : outputs) {
                String name = text(output, "name", "requested output");
                out.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName(name)
                        .putAllParameters(parameters(output.get("parameters"), "output '" + name + "'")));
            }
        }
        return out.build();
    }

    private static ModelInferRequest.InferInputTensor input(JsonNode input) {
        if (!input.isObject()) {
            throw new InvalidRequestException("each input must be an object with name, shape, datatype and data");
        }
        String name = text(input, "name", "input");
        String datatype = text(input, "datatype", "input '" + name + "'");
        DataType type = DataType.parse(datatype).orElseThrow(() -> new InvalidRequestException(
                "input '" + name + "' has unknown datatype '" + datatype + "'"));
        JsonNode shape = input.get("shape");
        if (shape == null || !shape.isArray()) {
            throw new InvalidRequestException("input '" + name + "' needs a 'shape' array");
        }
        ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder()
                .setName(name)
                .setDatatype(datatype)
                .putAllParameters(parameters(input.get("parameters"), "input '" + name + "'"));
        for (JsonNode dim : shape) {
            if (!dim.canConvertToLong() || !dim.isIntegralNumber()) {
                throw new InvalidRequestException("input '" + name + "' has a shape that is not a list of integers: " + shape);
            }
            tensor.addShape(dim.asLong());
        }
        JsonNode data = input.get("data");
        if (data == null || data.isNull()) {
            throw new InvalidRequestException("input '" + name + "' has no 'data'");
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(data, values);
        tensor.setContents(contents(name, type, values));
        return tensor.build();
    }

    private static void flatten(JsonNode data, List<JsonNode> into) {
        if (data.isArray()) {
            data.forEach(element -> flatten(element, into));
        } else {
            into.add(data);
        }
    }

    private static InferTensorContents contents(String name, DataType type, List<JsonNode> values) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            switch (type) {
                case BYTES -> contents.addBytesContents(ByteString.copyFromUtf8(expect(v.isTextual(), v, name, i, "a string").asText()));
                case BOOL -> contents.addBoolContents(expect(v.isBoolean(), v, name, i, "a boolean").asBoolean());
                case INT8, INT16, INT32 -> contents.addIntContents(expect(v.canConvertToInt() && v.isIntegralNumber(), v, name, i, "an integer").asInt());
                case UINT8, UINT16, UINT32 -> contents.addUintContents((int) expect(v.isIntegralNumber() && v.asLong() >= 0, v, name, i, "a non-negative integer").asLong());
                case INT64 -> contents.addInt64Contents(expect(v.canConvertToLong() && v.isIntegralNumber(), v, name, i, "an integer").asLong());
                case UINT64 -> contents.addUint64Contents(expect(v.isIntegralNumber() && v.asLong() >= 0, v, name, i, "a non-negative integer").asLong());
                case FP32 -> contents.addFp32Contents((float) expect(v.isNumber(), v, name, i, "a number").asDouble());
                case FP64 -> contents.addFp64Contents(expect(v.isNumber(), v, name, i, "a number").asDouble());
                case FP16, BF16 -> throw new InvalidRequestException("input '" + name + "' is " + type
                        + ", which JSON cannot carry; use the gRPC API with raw contents");
            }
        }
        return contents.build();
    }

    private static JsonNode expect(boolean ok, JsonNode value, String input, int index, String what) {
        if (!ok) {
            throw new InvalidRequestException("input '" + input + "' element " + index + " is " + value + ", expected " + what);
        }
        return value;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new InvalidRequestException(where + " needs a string '" + field + "'");
        }
        return value.asText();
    }

    private static Map<String, InferParameter> parameters(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("parameters of " + where + " must be an object");
        }
        Map<String, InferParameter> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            InferParameter.Builder p = InferParameter.newBuilder();
            if (v.isBoolean()) {
                p.setBoolParam(v.asBoolean());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                p.setInt64Param(v.asLong());
            } else if (v.isNumber()) {
                p.setDoubleParam(v.asDouble());
            } else if (v.isTextual()) {
                p.setStringParam(v.asText());
            } else {
                throw new InvalidRequestException("parameter '" + e.getKey() + "' of " + where
                        + " must be a boolean, number or string");
            }
            out.put(e.getKey(), p.build());
        }
        return out;
    }

    public static ObjectNode response(ModelInferResponse response) {
        ObjectNode out = JSON.objectNode();
        out.put("model_name", response.getModelName());
        out.put("model_version", response.getModelVersion());
        if (!response.getId().isEmpty()) {
            out.put("id", response.getId());
        }
        if (response.getParametersCount() > 0) {
            out.set("parameters", parametersJson(response.getParametersMap()));
        }
        ArrayNode outputs = out.putArray("outputs");
        for (int i = 0; i < response.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor tensor = response.getOutputs(i);
            ObjectNode o = outputs.addObject();
            o.put("name", tensor.getName());
            o.put("datatype", tensor.getDatatype());
            ArrayNode shape = o.putArray("shape");
            tensor.getShapeList().forEach(shape::add);
            ByteString raw = i < response.getRawOutputContentsCount() ? response.getRawOutputContents(i) : null;
            o.set("data", data(tensor, raw));
        }
        return out;
    }

    private static ObjectNode parametersJson(Map<String, InferParameter> parameters) {
        ObjectNode out = JSON.objectNode();
        parameters.forEach((k, p) -> {
            switch (p.getParameterChoiceCase()) {
                case BOOL_PARAM -> out.put(k, p.getBoolParam());
                case INT64_PARAM -> out.put(k, p.getInt64Param());
                case STRING_PARAM -> out.put(k, p.getStringParam());
                case DOUBLE_PARAM -> out.put(k, p.getDoubleParam());
                case UINT64_PARAM -> out.put(k, p.getUint64Param());
                case PARAMETERCHOICE_NOT_SET -> out.putNull(k);
            }
        });
        return out;
    }

    private static ArrayNode data(ModelInferResponse.InferOutputTensor tensor, ByteString raw) {
        ArrayNode data = JSON.arrayNode();
        DataType type = DataType.parse(tensor.getDatatype()).orElseThrow(() -> new IllegalStateException(
                "node answered with unknown datatype " + tensor.getDatatype()));
        InferTensorContents c = tensor.getContents();
        if (raw == null || raw.isEmpty()) {
            switch (type) {
                case FP32 -> c.getFp32ContentsList().forEach(data::add);
                case FP64 -> c.getFp64ContentsList().forEach(data::add);
                case INT8, INT16, INT32 -> c.getIntContentsList().forEach(data::add);
                case INT64 -> c.getInt64ContentsList().forEach(data::add);
                case UINT8, UINT16, UINT32 -> c.getUintContentsList().forEach(v -> data.add(Integer.toUnsignedLong(v)));
                case UINT64 -> c.getUint64ContentsList().forEach(data::add);
                case BOOL -> c.getBoolContentsList().forEach(data::add);
                case BYTES -> c.getBytesContentsList().forEach(b -> data.add(b.toStringUtf8()));
                case FP16, BF16 -> throw new IllegalStateException("cannot write " + type + " as JSON");
            }
            return data;
        }
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FP32 -> { while (buffer.remaining() >= 4) data.add(buffer.getFloat()); }
            case FP64 -> { while (buffer.remaining() >= 8) data.add(buffer.getDouble()); }
            case INT32 -> { while (buffer.remaining() >= 4) data.add(buffer.getInt()); }
            case INT64 -> { while (buffer.remaining() >= 8) data.add(buffer.getLong()); }
            case BOOL -> { while (buffer.hasRemaining()) data.add(buffer.get() != 0); }
            case BYTES -> Tensors.splitLengthPrefixed(raw, tensor.getName()).forEach(data::add);
            default -> throw new IllegalStateException("cannot write raw " + type + " as JSON");
        }
        return data;
    }

    public static ObjectNode metadata(ModelMetadataResponse model) {
        ObjectNode out = JSON.objectNode();
        out.put("name", model.getName());
        ArrayNode versions = out.putArray("versions");
        model.getVersionsList().forEach(versions::add);
        out.put("platform", model.getPlatform());
        out.set("inputs", tensorsJson(model.getInputsList()));
        out.set("outputs", tensorsJson(model.getOutputsList()));
        return out;
    }

    private static ArrayNode tensorsJson(List<ModelMetadataResponse.TensorMetadata> tensors) {
        ArrayNode out = JSON.arrayNode();
        for (ModelMetadataResponse.TensorMetadata t : tensors) {
            ObjectNode o = out.addObject();
            o.put("name", t.getName());
            o.put("datatype", t.getDatatype());
            ArrayNode shape = o.putArray("shape");
            t.getShapeList().forEach(shape::add);
        }
        return out;
    }
}
