package dev.metaserve.api;

import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferRequest.InferInputTensor;
import dev.metaserve.api.inference.ModelMetadataResponse;
import dev.metaserve.api.inference.ModelMetadataResponse.TensorMetadata;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a v2 inference request against a model's metadata before any work is done, so that a bad
 * request is refused with a message naming the problem rather than failing inside the runtime.
 * Gateway and nodes run the same checks: the gateway to answer early, the node to defend itself.
 */
public final class InferRequestValidator {
    private InferRequestValidator() {}

    /**
     * @param maxBatchSize most elements allowed along the first dimension of any input
     * @throws InvalidRequestException naming the first problem found
     */
    public static void validate(ModelInferRequest request, ModelMetadataResponse model, int maxBatchSize) {
        String modelName = model.getName();
        List<String> expected = model.getInputsList().stream().map(TensorMetadata::getName).toList();
        if (request.getInputsCount() == 0) {
            throw new InvalidRequestException("request has no inputs; model '" + modelName + "' takes " + expected);
        }
        if (request.getInputsCount() > model.getInputsCount()) {
            throw new InvalidRequestException("too many inputs: got " + request.getInputsCount() + ", model '"
                    + modelName + "' takes " + model.getInputsCount() + " " + expected);
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw new InvalidRequestException("raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for " + request.getInputsCount() + " inputs");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            InferInputTensor input = request.getInputs(i);
            TensorMetadata declared = model.getInputsList().stream()
                    .filter(t -> t.getName().equals(input.getName()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidRequestException("unknown input '" + input.getName()
                            + "'; model '" + modelName + "' takes " + expected));
            if (!seen.add(input.getName())) {
                throw new InvalidRequestException("input '" + input.getName() + "' is given twice");
            }
            checkInput(request, i, declared, maxBatchSize, raw);
        }
        for (String name : expected) {
            if (!seen.contains(name)) {
                throw new InvalidRequestException("missing input '" + name + "' for model '" + modelName + "'");
            }
        }
        Set<String> outputs = new HashSet<>();
        model.getOutputsList().forEach(o -> outputs.add(o.getName()));
        for (ModelInferRequest.InferRequestedOutputTensor wanted : request.getOutputsList()) {
            if (!outputs.contains(wanted.getName())) {
                throw new InvalidRequestException("unknown output '" + wanted.getName() + "'; model '" + modelName
                        + "' has " + outputs);
            }
        }
    }

    private static void checkInput(ModelInferRequest request, int index, TensorMetadata declared, int maxBatchSize,
                                   boolean raw) {
        InferInputTensor input = request.getInputs(index);
        String name = input.getName();
        if (!declared.getDatatype().equals(input.getDatatype())) {
            String known = DataType.parse(input.getDatatype()).isPresent() ? "" : " (not a v2 datatype)";
            throw new InvalidRequestException("input '" + name + "' has datatype '" + input.getDatatype() + "'" + known
                    + ", expected " + declared.getDatatype());
        }
        List<Long> shape = input.getShapeList();
        if (shape.size() != declared.getShapeCount()) {
            throw new InvalidRequestException("input '" + name + "' has shape " + shape + " of rank " + shape.size()
                    + ", expected rank " + declared.getShapeCount() + " " + declared.getShapeList());
        }
        for (int d = 0; d < shape.size(); d++) {
            long dim = shape.get(d);
            long want = declared.getShape(d);
            if (dim < 0 || (want >= 0 && dim != want)) {
                throw new InvalidRequestException("input '" + name + "' has shape " + shape + ", expected "
                        + declared.getShapeList() + " (-1: any size)");
            }
        }
        long elements = Tensors.elementCount(shape);
        if (elements == 0) {
            throw new InvalidRequestException("input '" + name + "' is empty (shape " + shape + ")");
        }
        if (!shape.isEmpty() && shape.get(0) > maxBatchSize) {
            throw new InvalidRequestException("input '" + name + "' has a batch of " + shape.get(0)
                    + ", more than the maximum of " + maxBatchSize);
        }
        DataType type = DataType.parse(input.getDatatype()).orElseThrow();
        long given = raw ? rawElementCount(request, index, type) : type.typedCount(input.getContents());
        if (given < 0) {
            throw new InvalidRequestException("input '" + name + "' of datatype " + type + " must be sent as raw contents");
        }
        if (given != elements) {
            throw new InvalidRequestException("input '" + name + "' has " + given + " data elements but shape " + shape
                    + " needs " + elements);
        }
    }

    private static long rawElementCount(ModelInferRequest request, int index, DataType type) {
        var bytes = request.getRawInputContents(index);
        if (type == DataType.BYTES) {
            return Tensors.splitLengthPrefixed(bytes, request.getInputs(index).getName()).size();
        }
        if (bytes.size() % type.rawElementBytes() != 0) {
            throw new InvalidRequestException("raw contents of input '" + request.getInputs(index).getName() + "' are "
                    + bytes.size() + " bytes, not a whole number of " + type + " elements");
        }
        return bytes.size() / type.rawElementBytes();
    }
}
