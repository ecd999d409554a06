package dev.metaserve.gateway.selection;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight at the gateway per model: the concurrency of a request's task profile (how many requests of its
 * model it shares the nodes with) is the count when it starts, itself included.
 */
@ApplicationScoped
public class ModelConcurrency {
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** A request of the model starts; returns the requests of that model now in flight, this one included. */
    public int begin(String model) {
        return inFlight.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
    }

    /** A request of the model has ended (answered, failed or cancelled). */
    public void end(String model) {
        AtomicInteger count = inFlight.get(model);
        if (count != null) {
            count.updateAndGet(n -> Math.max(0, n - 1)); // a stream cancelled before it began never counted itself
        }
    }
}
