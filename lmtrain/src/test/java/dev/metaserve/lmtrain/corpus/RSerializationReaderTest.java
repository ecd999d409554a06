package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.lmtrain.corpus.RValue.RInts;
import dev.metaserve.lmtrain.corpus.RValue.RList;
import dev.metaserve.lmtrain.corpus.RValue.RLogicals;
import dev.metaserve.lmtrain.corpus.RValue.RNull;
import dev.metaserve.lmtrain.corpus.RValue.RStrings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RSerializationReaderTest {

    @Test
    void readsCharacterVectorWithUtf8Latin1AndNaElements() {
        byte[] serialized = RXdrWriter.withHeader(3)
                .flags(16, false, false).integer(4)
                .charsxp("It is a truth", RXdrWriter.ASCII)
                .charsxp("her £20,000", RXdrWriter.UTF8)
                .charsxp("café", RXdrWriter.LATIN1)
                .naString()
                .toByteArray();

        RValue value = RSerializationReader.read(serialized);

        assertThat(value).isInstanceOf(RStrings.class);
        assertThat(((RStrings) value).values()).containsExactly("It is a truth", "her £20,000", "café", null);
    }

    @Test
    void readsNamedListWhoseAttributeSymbolsAreBackReferences() {
        // list(a = 1:2, b = list()) with names, then a second list whose "names" tag refers back to symbol #1
        RXdrWriter writer = RXdrWriter.withHeader(2)
                .flags(19, true, false).integer(2)
                .flags(13, false, false).integer(2).integer(7).integer(9)
                .flags(19, true, false).integer(0)
                .flags(2, false, true).symbol("names").flags(16, false, false).integer(0).nil()
                .flags(2, false, true).reference(1).strings("a", "b").nil();

        RValue value = RSerializationReader.read(writer.toByteArray());

        RList list = (RList) value;
        assertThat(list.names()).containsExactly("a", "b");
        assertThat(((RInts) list.get("a")).values()).containsExactly(7, 9);
        assertThat(((RList) list.get("b")).values()).isEmpty();
        assertThat(((RList) list.get("b")).attributes()).containsKey("names");
    }

    @Test
    void readsLogicalAndNull() {
        assertThat(RSerializationReader.read(RXdrWriter.withHeader(3).nil().toByteArray())).isEqualTo(RNull.INSTANCE);
        RValue logical = RSerializationReader.read(
                RXdrWriter.withHeader(3).flags(10, false, false).integer(2).integer(1).integer(Integer.MIN_VALUE)
                        .toByteArray());
        assertThat(((RLogicals) logical).values()).containsExactly(1, Integer.MIN_VALUE);
    }

    @Test
    void refusesAsciiFormatAndUnknownVersion() {
        byte[] ascii = "A\n3\n".getBytes();
        assertThatThrownBy(() -> RSerializationReader.read(ascii))
                .isInstanceOf(CorpusException.class).hasMessageContaining("not an XDR R serialization");
        byte[] version4 = RXdrWriter.withHeader(2).toByteArray();
        version4[5] = 4;
        assertThatThrownBy(() -> RSerializationReader.read(version4))
                .isInstanceOf(CorpusException.class).hasMessageContaining("version 4");
    }

    @Test
    void refusesClosuresAndTruncatedInput() {
        byte[] closure = RXdrWriter.withHeader(3).flags(3, false, false).toByteArray();
        assertThatThrownBy(() -> RSerializationReader.read(closure))
                .isInstanceOf(CorpusException.class).hasMessageContaining("unsupported R object type 3");

        byte[] whole = RXdrWriter.withHeader(3).strings("one", "two").toByteArray();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 2);
        assertThatThrownBy(() -> RSerializationReader.read(truncated))
                .isInstanceOf(CorpusException.class).hasMessageContaining("ends early");
    }

    @Test
    void refusesReferenceToObjectNotYetRead() {
        byte[] dangling = RXdrWriter.withHeader(3).reference(3).toByteArray();
        assertThatThrownBy(() -> RSerializationReader.read(dangling))
                .isInstanceOf(CorpusException.class).hasMessageContaining("object #3");
    }
}
