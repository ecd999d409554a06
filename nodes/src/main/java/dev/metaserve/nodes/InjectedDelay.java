package dev.metaserve.nodes;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A slow network link in front of the node's service ({@code --inject-delay-ms}): each call is handed to the service
 * only after a fixed delay. No thread waits meanwhile: the call's start is a task on a scheduler, and what the client
 * sends before it (the request, its half-close, a cancellation) is held in order and passed on when the call starts.
 * The node's handlers are asynchronous (they give the work to a batcher or the generator and return), so the one
 * scheduler thread only starts them. Responses are not delayed: the delay stands for the link's whole round trip.
 */
final class InjectedDelay implements ServerInterceptor {
    private volatile long delayNanos;
    private final ScheduledExecutorService scheduler;

    /**
     * @param delay     the delay to start with; zero passes calls straight through
     * @param scheduler runs the delayed starts; its owner shuts it down after the server has stopped
     */
    InjectedDelay(Duration delay, ScheduledExecutorService scheduler) {
        set(delay);
        this.scheduler = scheduler;
    }

    /** Changes the delay of calls that start from now on (fault injection); zero turns it off. */
    void set(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("an injected delay must be zero or positive, was " + delay);
        }
        this.delayNanos = delay.toNanos();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        long delay = delayNanos;
        if (delay == 0) {
            return next.startCall(call, headers);
        }
        HeldListener<Q> held = new HeldListener<>();
        Context context = Context.current();
        try {
            scheduler.schedule(() -> context.run(() -> start(call, headers, next, held)), delay,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            call.close(Status.UNAVAILABLE.withDescription("node is shutting down"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return held;
    }

    private static <Q, A> void start(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next,
                                     HeldListener<Q> held) {
        ServerCall.Listener<Q> started;
        try {
            started = next.startCall(call, headers);
        } catch (RuntimeException e) {
            call.close(Status.INTERNAL.withDescription("could not start the call: " + e).withCause(e), new Metadata());
            held.release(new ServerCall.Listener<>() { });
            return;
        }
        held.release(started);
    }

    /**
     * Holds a call's events until the service's listener exists, then passes them on in order. gRPC delivers a call's
     * events one at a time; {@link #release} may run at the same moment on the scheduler, so the hand-over is guarded:
     * events are passed on directly only once everything held has been delivered.
     */
    static final class HeldListener<Q> extends ServerCall.Listener<Q> {
        private List<Consumer<ServerCall.Listener<Q>>> held = new ArrayList<>();
        private ServerCall.Listener<Q> delegate;

        void release(ServerCall.Listener<Q> target) {
            while (true) {
                List<Consumer<ServerCall.Listener<Q>>> events;
                synchronized (this) {
                    if (held.isEmpty()) {
                        delegate = target;
                        held = null;
                        return;
                    }
                    events = held;
                    held = new ArrayList<>();
                }
                events.forEach(event -> event.accept(target));
            }
        }

        private void deliver(Consumer<ServerCall.Listener<Q>> event) {
            ServerCall.Listener<Q> target;
            synchronized (this) {
                if (delegate == null) {
                    held.add(event);
                    return;
                }
                target = delegate;
            }
            event.accept(target);
        }

        @Override
        public void onMessage(Q message) {
            deliver(listener -> listener.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            deliver(ServerCall.Listener::onHalfClose);
        }

        @Override
        public void onCancel() {
            deliver(ServerCall.Listener::onCancel);
        }

        @Override
        public void onComplete() {
            deliver(ServerCall.Listener::onComplete);
        }

        @Override
        public void onReady() {
            deliver(ServerCall.Listener::onReady);
        }
    }
}
