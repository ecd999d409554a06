package dev.metaserve.selector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationCsvTest {
    private static String csv(List<Observation> observations) throws Exception {
        StringWriter out = new StringWriter();
        ObservationCsv.write(observations, out);
        return out.toString();
    }

    private static List<Observation> read(String text) throws Exception {
        return ObservationCsv.read(new StringReader(text));
    }

    @Test
    void observationsReadBackEqualToThoseWritten() throws Exception {
        List<Observation> written = new ArrayList<>();
        for (Observation o : Observations.numbers(0, 12)) {
            written.add(o.withId(written.size() + 1));
        }

        assertThat(read(csv(written))).isEqualTo(written);
    }

    @Test
    void thePlansCommasQuotesAndLineBreaksInADescriptionSurvive() throws Exception {
        Observation o = Observations.number(1);
        HardwareProfile h = o.hardware();
        Observation odd = new Observation(7, o.task(), o.plan(), new HardwareProfile(h.nodeId(), h.intraOpThreads(),
                h.cpuCores(), h.memoryLimitMb(), h.networkDelayMs(), "CPU \"X\", 2 cores\nline two"),
                o.measurement(), o.observedAt(), o.source());

        String text = csv(List.of(odd));

        assertThat(text.lines().findFirst()).contains(String.join(",", ObservationCsv.COLUMNS));
        assertThat(text).contains("\"batching=dynamic(8,2000),precision=int8\"");
        assertThat(read(text)).containsExactly(odd);
        assertThat(read(text.replace("\n", "\r\n"))).singleElement()
                .satisfies(back -> assertThat(back.plan()).isEqualTo(odd.plan()));
    }

    @Test
    void anEmptyListIsTheHeaderAlone() throws Exception {
        assertThat(csv(List.of())).isEqualTo(String.join(",", ObservationCsv.COLUMNS) + "\n");
        assertThat(read(csv(List.of()))).isEmpty();
    }

    @Test
    void aBadRowIsRefusedNamingItsLineAndColumn() throws Exception {
        List<String> lines = new ArrayList<>(csv(Observations.numbers(0, 3)).lines().toList());
        lines.set(3, lines.get(3).replace(",SWEEP", ",SOMETIMES").replace(",LIVE", ",SOMETIMES"));

        InvalidCsv bad = refused(String.join("\n", lines));

        assertThat(bad.line).isEqualTo(4);
        assertThat(bad.message).contains("line 4").contains("column source").contains("SOMETIMES");
    }

    @Test
    void aRowBreakingARecordRuleIsRefusedWithTheRecordsMessage() throws Exception {
        String text = csv(List.of(Observations.number(0)));
        String[] lines = text.split("\n");
        String[] fields = lines[1].split(",");
        fields[7] = "0"; // concurrency
        InvalidCsv bad = refused(lines[0] + "\n" + String.join(",", fields) + "\n");

        assertThat(bad.line).isEqualTo(2);
        assertThat(bad.message).contains("concurrency must be >= 1, was 0");
    }

    @Test
    void aShortRowAWrongHeaderAndAnOpenQuoteAreRefused() throws Exception {
        String header = String.join(",", ObservationCsv.COLUMNS);
        assertThat(refused(header + "\n1,all-minilm-l6-v2\n").message).contains("line 2: 2 fields, expected 26");
        assertThat(refused("id,model\n").message).contains("line 1: the header");
        assertThat(refused(header + "\n\"open").message).contains("line 2: a quoted field is not closed");
        assertThat(refused(header + "\n1,x\"y\n").message).contains("quote inside an unquoted field");
    }

    private record InvalidCsv(int line, String message) {}

    private static InvalidCsv refused(String text) {
        ObservationCsv.InvalidCsvException e = catchThrowableOfType(() -> read(text),
                ObservationCsv.InvalidCsvException.class);
        assertThat(e).as("refused").isNotNull();
        return new InvalidCsv(e.line(), e.getMessage());
    }
}
