package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.api.node.HeartbeatRequest;
import dev.metaserve.api.node.Load;
import dev.metaserve.api.node.RegisterRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease loop against a fake NodeRegistry over an in-process transport, with short intervals. */
class GatewayRegistrationTest {
    private static final GatewayRegistration.Settings FAST = new GatewayRegistration.Settings(Duration.ofSeconds(2),
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(30), Duration.ofMillis(50),
            Duration.ofSeconds(1));

    private final String name = InProcessServerBuilder.generateName();
    private final FakeRegistry registry = new FakeRegistry(20);
    private final AtomicLong completed = new AtomicLong();
    private final RegisterRequest announcement = RegisterRequest.newBuilder()
            .setNodeId("node-a")
            .setAddress("127.0.0.1:7001")
            .setHardware(HardwareProbe.describe(2))
            .setJoinToken("s3cret")
            .build();

    private Server server;
    private ManagedChannel channel;
    private ScheduledExecutorService scheduler;
    private GatewayRegistration registration;

    @BeforeEach
    void setUp() {
        channel = InProcessChannelBuilder.forName(name).build();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        registration = new GatewayRegistration(channel, announcement,
                () -> Load.newBuilder().setQueueDepth(3).setInFlight(4).setRecentLatencyMs(12.5)
                        .setCompleted(completed.get()).build(),
                scheduler, FAST);
    }

    @AfterEach
    void tearDown() throws Exception {
        registration.close();
        scheduler.shutdownNow();
        channel.shutdownNow();
        if (server != null) {
            server.shutdownNow().awaitTermination();
        }
    }

    private void startRegistry() throws Exception {
        server = InProcessServerBuilder.forName(name).addService(registry).build().start();
    }

    @Test
    void registersWithTheTokenAndHeartbeatsCarryTheCurrentLoad() throws Exception {
        startRegistry();
        completed.set(7);

        registration.start();
        Poll.until("two heartbeats", () -> registry.heartbeats.size() >= 2);

        assertThat(registry.registers).hasSize(1);
        RegisterRequest sent = registry.registers.get(0);
        assertThat(sent.getJoinToken()).isEqualTo("s3cret");
        assertThat(sent.getNodeId()).isEqualTo("node-a");
        assertThat(sent.getAddress()).isEqualTo("127.0.0.1:7001");
        assertThat(registration.leaseId()).contains("lease-1");
        HeartbeatRequest beat = registry.heartbeats.get(registry.heartbeats.size() - 1);
        assertThat(beat.getNodeId()).isEqualTo("node-a");
        assertThat(beat.getLeaseId()).isEqualTo("lease-1");
        assertThat(beat.getLoad().getCompleted()).isEqualTo(7);
        assertThat(beat.getLoad().getQueueDepth()).isEqualTo(3);
        assertThat(beat.getLoad().getInFlight()).isEqualTo(4);
        assertThat(beat.getLoad().getRecentLatencyMs()).isEqualTo(12.5);

        completed.set(8);
        Poll.until("a heartbeat with the new load",
                () -> registry.heartbeats.stream().anyMatch(h -> h.getLoad().getCompleted() == 8));
    }

    @Test
    void registersAgainWhenAHeartbeatIsAnsweredNotFound() throws Exception {
        startRegistry();
        registration.start();
        Poll.until("first lease heartbeating", () -> !registry.heartbeatsFor("lease-1").isEmpty());

        registry.forgetLeases();

        Poll.until("second lease heartbeating", () -> !registry.heartbeatsFor("lease-2").isEmpty());
        assertThat(registry.registers).hasSize(2);
        assertThat(registration.leaseId()).contains("lease-2");
        assertThat(registration.registrations()).isEqualTo(2);
    }

    @Test
    void keepsRetryingWhileTheGatewayIsAwayAndRegistersOnceItAppears() throws Exception {
        registration.start();
        // Nothing listens under this name yet: every Register fails with UNAVAILABLE.
        Thread.sleep(300);
        assertThat(registration.leaseId()).isEmpty();

        startRegistry();

        Poll.until("registered", () -> registration.leaseId().isPresent());
        Poll.until("heartbeating", () -> !registry.heartbeats.isEmpty());
        assertThat(registry.registers).hasSize(1);
    }

    @Test
    void aRefusedJoinTokenIsRetriedUntilTheGatewayAcceptsIt() throws Exception {
        registry.requiredToken = "other";
        startRegistry();

        registration.start();
        Poll.until("refused twice", () -> registry.refusedRegisters.get() >= 2);
        assertThat(registration.leaseId()).isEmpty();

        registry.requiredToken = "s3cret";
        Poll.until("registered", () -> registration.leaseId().isPresent());
        assertThat(registry.registers).hasSize(1);
    }

    @Test
    void closingDeregistersTheLeaseAndStopsHeartbeats() throws Exception {
        startRegistry();
        registration.start();
        Poll.until("heartbeating", () -> !registry.heartbeats.isEmpty());

        registration.close();

        assertThat(registry.deregisters).hasSize(1);
        assertThat(registry.deregisters.get(0).getNodeId()).isEqualTo("node-a");
        assertThat(registry.deregisters.get(0).getLeaseId()).isEqualTo("lease-1");
        assertThat(registration.leaseId()).isEmpty();
        int beats = registry.heartbeats.size();
        Thread.sleep(100);
        assertThat(registry.heartbeats).hasSize(beats);
    }
}
