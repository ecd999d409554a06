package dev.metaserve.accelerators.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/** Collects what the engine hands a job; fails loudly on a second ending. */
final class RecordingSink implements TokenSink {
    record Outcome(List<Integer> tokens, FinishReason reason, GenerationStats stats) {}

    final List<Integer> tokens = new CopyOnWriteArrayList<>();
    final List<int[]> deliveries = new CopyOnWriteArrayList<>();
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    /** Returning false from onTokens once this many tokens have come; Integer.MAX_VALUE for never. */
    private final IntPredicate keepGoing;
    final CompletableFuture<Void> firstTokens = new CompletableFuture<>();

    RecordingSink() {
        this(count -> true);
    }

    RecordingSink(IntPredicate keepGoing) {
        this.keepGoing = keepGoing;
    }

    @Override
    public boolean onTokens(int[] delivered) {
        if (outcome.isDone()) {
            throw new AssertionError("tokens after the end");
        }
        deliveries.add(delivered);
        for (int token : delivered) {
            tokens.add(token);
        }
        firstTokens.complete(null);
        return keepGoing.test(tokens.size());
    }

    @Override
    public void onFinished(FinishReason reason, GenerationStats stats) {
        if (!outcome.complete(new Outcome(new ArrayList<>(tokens), reason, stats))) {
            throw new AssertionError("finished twice");
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!outcome.completeExceptionally(error)) {
            throw new AssertionError("ended twice");
        }
    }

    Outcome await() {
        try {
            return outcome.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("job did not finish: " + e, e);
        }
    }
}
