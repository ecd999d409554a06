package dev.metaserve.bench.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every measured latency of one task class, per mode, all rounds together: what {@link Summary} works from. */
record ClassSamples(String taskClass, Phase phase, Map<Mode, long[]> latenciesNanos) {
    public ClassSamples {
        latenciesNanos = Collections.unmodifiableMap(new LinkedHashMap<>(latenciesNanos));
    }
}
