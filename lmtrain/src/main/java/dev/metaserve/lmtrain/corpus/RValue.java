package dev.metaserve.lmtrain.corpus;

import java.util.List;
import java.util.Map;

/**
 * The part of R's object model that {@link RSerializationReader} understands: NULL, symbols, pairlists and the
 * atomic and generic vectors. Vectors carry their attributes (e.g. {@code names}) by name.
 */
public sealed interface RValue {

    /** R's {@code NULL}. */
    enum RNull implements RValue { INSTANCE }

    record RSymbol(String name) implements RValue {
    }

    /** A pairlist (the form of attribute lists): tags may be null. */
    record RPairList(List<String> tags, List<RValue> values) implements RValue {
    }

    /** A character vector; {@code NA} elements are null. */
    record RStrings(List<String> values, Map<String, RValue> attributes) implements RValue {
    }

    /** An integer vector; {@code NA} is {@link Integer#MIN_VALUE}, as in R. */
    record RInts(int[] values, Map<String, RValue> attributes) implements RValue {
    }

    /** A logical vector stored like R does: 0 false, 1 true, {@link Integer#MIN_VALUE} NA. */
    record RLogicals(int[] values, Map<String, RValue> attributes) implements RValue {
    }

    record RDoubles(double[] values, Map<String, RValue> attributes) implements RValue {
    }

    /** A generic vector (R's {@code list}). */
    record RList(List<RValue> values, Map<String, RValue> attributes) implements RValue {
        /** The {@code names} attribute, or an empty list when the list has none. */
        public List<String> names() {
            return attributes.get("names") instanceof RStrings names ? names.values() : List.of();
        }

        /** The element called {@code name}. */
        public RValue get(String name) {
            int index = names().indexOf(name);
            if (index < 0) {
                throw new CorpusException("R list has no element '" + name + "' (names: " + names() + ")");
            }
            return values.get(index);
        }
    }
}
