package dev.metaserve.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.metaserve.quant.calibration.MinMaxCalibrator;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.graph.OnnxModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnknownFieldsTest {
    @Test
    void fieldsNewerThanTheSchemaSurviveQuantization(@TempDir Path dir) {
        UnknownFieldSet extra = UnknownFieldSet.newBuilder().addField(900,
                UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("from a newer ONNX")).build()).build();
        ModelProto base = SyntheticModels.matMul(14);
        ModelProto model = base.toBuilder().setUnknownFields(extra)
                .setGraph(base.getGraph().toBuilder().setNode(0, base.getGraph().getNode(0).toBuilder().setUnknownFields(extra)))
                .build();
        ModelProto reparsed = OnnxModels.parse(model.toByteArray(), "with unknown fields");
        Path out = dir.resolve("q.onnx");

        new Quantizer(Quantizer.Settings.of(new MinMaxCalibrator())).quantize(reparsed, "with unknown fields",
                SyntheticModels.inputs(List.of(new float[] {1, -2, 3, 4})), out, StatisticsCollector.Progress.NONE);

        ModelProto written = OnnxModels.read(out);
        assertThat(written.getUnknownFields()).isEqualTo(extra);
        assertThat(written.getGraph().getNodeList()).filteredOn(n -> n.getName().equals("identity"))
                .singleElement().satisfies(node -> assertThat(node.getUnknownFields()).isEqualTo(extra));
    }
}
