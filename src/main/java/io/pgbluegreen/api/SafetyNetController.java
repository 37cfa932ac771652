package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.mode.patroni.safetynet.NetOutcome;
import io.pgbluegreen.mode.patroni.safetynet.SafetyNetService;
import io.pgbluegreen.mode.patroni.safetynet.rollback.NetRollbackService;


/**
 * The safety net of a Patroni deployment: POST holds one (201), GET tells what is held with live figures (200;
 * {@code held: false} when none), DELETE releases it (200). Refusals are 409 problem+json naming the reason (and
 * the failing check); a hold that failed part way answers 500 saying what it undid and what, if anything, is left.
 * POST .../rollback recovers the held member to the marker and makes it the leader (202 with the operation).
 * POST and DELETE read their input strictly and need the bearer token; all run on the blocking pool.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller("/deployments/{name}/safety-net")
public class SafetyNetController {
    private final Topology topology;
    private final SafetyNetService nets;
    private final NetRollbackService rollbacks;
    private final JsonMapper json;

    public SafetyNetController(Topology topology, SafetyNetService nets, NetRollbackService rollbacks, JsonMapper json) {
        this.topology = topology;
        this.nets = nets;
        this.rollbacks = rollbacks;
        this.json = json;
    }

    /** Body of POST .../safety-net. */
    @Serdeable
    public record HoldRequest(@Nullable String member) {
    }

    /** DELETE takes no parameters: its body may only be empty or {@code {}}. */
    @Serdeable
    public record ReleaseRequest() {
    }

    @Post
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> hold(HttpRequest<?> http, @PathVariable String name, @Nullable @Body String body) {
        StrictQuery.flags(http);
        HoldRequest request = StrictBody.read(json, body, HoldRequest.class);
        if (request == null || request.member() == null || request.member().isBlank()) {
            throw new BadRequest("member: required (the replica to hold, as Patroni names it)");
        }
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(nets.hold(deployment.get(), request.member()), HttpStatus.CREATED);
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> state(@PathVariable String name) {
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        Refusal notOffered = SafetyNetService.notOffered(deployment.get());
        if (notOffered != null) {
            return Problem.response(HttpStatus.NOT_FOUND, notOffered.reason());
        }
        return HttpResponse.ok(nets.view(deployment.get()));
    }

    @Delete
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> release(HttpRequest<?> http, @PathVariable String name, @Nullable @Body String body) {
        StrictQuery.flags(http);
        StrictBody.read(json, body, ReleaseRequest.class);
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(nets.release(deployment.get()), HttpStatus.OK);
    }

    /** Recovers the held member to the marker's xid and makes it the leader: 202 with the operation, or 409. */
    @Post("/rollback")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> rollback(HttpRequest<?> http, @PathVariable String name, @Nullable @Body String body) {
        StrictQuery.flags(http);
        StrictBody.read(json, body, OperationsController.RollbackRequest.class);
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return OperationsController.respond(rollbacks.rollback(deployment.get()), HttpStatus.ACCEPTED);
    }

    private static HttpResponse<?> respond(NetOutcome outcome, HttpStatus done) {
        if (outcome instanceof NetOutcome.Done d) {
            return HttpResponse.status(done).body(d.answer());
        }
        if (outcome instanceof NetOutcome.Failed f) {
            return Problem.response(HttpStatus.INTERNAL_SERVER_ERROR, f.detail());
        }
        return OperationsController.refused(((NetOutcome.Refused) outcome).refusal());
    }
}
