package dev.metaserve.nodes;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The gRPC server's lifecycle, apart from what it serves: start, port, graceful stop. */
public final class NodeServer {
    /** Largest request accepted: a batch of texts of up to 16 MiB. */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Server server;

    /** @param builder any transport: a port in production, in-process in tests */
    public NodeServer(ServerBuilder<?> builder, BindableService service) {
        this(builder, service.bindService());
    }

    /** @param service a service with its interceptors, e.g. from {@code ServerInterceptors.intercept} */
    public NodeServer(ServerBuilder<?> builder, ServerServiceDefinition service) {
        this.server = builder.addService(service).maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES).build();
    }

    /** Plaintext on all interfaces; port 0 picks a free one. */
    public static NodeServer onPort(int port, BindableService service) {
        return onPort(port, service.bindService());
    }

    /** Plaintext on all interfaces; port 0 picks a free one. */
    public static NodeServer onPort(int port, ServerServiceDefinition service) {
        return new NodeServer(Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()), service);
    }

    public NodeServer start() throws IOException {
        server.start();
        return this;
    }

    /** The bound port once started; -1 for transports without one. */
    public int port() {
        return server.getPort();
    }

    /** Takes no new calls; calls already running go on. */
    public void shutdown() {
        server.shutdown();
    }

    /** Waits up to {@code timeout} for running calls to end, then cancels those left. */
    public void awaitTermination(Duration timeout) throws InterruptedException {
        if (!server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(1, TimeUnit.SECONDS);
        }
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }
}
