package dev.metaserve.gateway.telemetry;

import dev.metaserve.gateway.routing.NodeRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready} is up while at least one node holds a lease. */
@Readiness
@ApplicationScoped
public class NodesReadinessCheck implements HealthCheck {
    private final NodeRegistry registry;

    public NodesReadinessCheck(NodeRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("nodes")
                .status(registry.liveCount() > 0)
                .withData("live", registry.liveCount())
                .build();
    }
}
