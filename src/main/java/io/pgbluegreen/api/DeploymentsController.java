package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.gate.GateService;
import io.pgbluegreen.sampling.DeploymentLagTracker;

import java.util.List;

/** Read-only view of the configured deployments with their current lag. */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller("/deployments")
public class DeploymentsController {
    private final Topology topology;
    private final DeploymentLagTracker lags;
    private final GateService gate;

    public DeploymentsController(Topology topology, DeploymentLagTracker lags, GateService gate) {
        this.topology = topology;
        this.lags = lags;
        this.gate = gate;
    }

    /**
     * The verdict on the latest samples (stale ones count as unknown), with facts read live from both sides: on the
     * blocking pool, so a hung side stalls this request only, never the event loop that serves /prometheus.
     */
    @Get("/{name}/gate")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> gate(@PathVariable String name) {
        return topology.deployment(name).<HttpResponse<?>>map(d -> HttpResponse.ok(gate.fromSamples(d)))
                .orElseGet(() -> Problem.noDeployment(name));
    }

    @Get
    public List<DeploymentView> list() {
        return topology.deployments().values().stream().map(d -> DeploymentView.of(d, lags.latest(d.name()))).toList();
    }

    @Get("/{name}")
    public HttpResponse<?> one(@PathVariable String name) {
        return topology.deployment(name).<HttpResponse<?>>map(d -> HttpResponse.ok(DeploymentView.of(d, lags.latest(name))))
                .orElseGet(() -> Problem.noDeployment(name));
    }
}
