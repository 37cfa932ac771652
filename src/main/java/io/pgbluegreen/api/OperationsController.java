package io.pgbluegreen.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.cutover.CutoverRequest;
import io.pgbluegreen.cutover.OperationService;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.Verdict;

import java.util.List;

/**
 * The guarded actions: POST .../cutover answers 202 with the operation (or the dry-run plan), 409 with the failing
 * checks or the operation in the way; POST .../rollback answers with the finished rollback or 409 and the reason.
 * Both need the bearer token (BearerTokenFilter).
 */
@Controller
public class OperationsController {
    private final Topology topology;
    private final OperationService operations;

    public OperationsController(Topology topology, OperationService operations) {
        this.topology = topology;
        this.operations = operations;
    }

    /** 409 body: the problem plus the checks that block. */
    @Serdeable
    public record Refusal(String type, String title, int status, String detail, List<CheckResult> failingChecks) {
    }

    @Serdeable
    public record Plan(String deployment, boolean dryRun, List<String> steps, Verdict verdict) {
    }

    @ExecuteOn(TaskExecutors.BLOCKING)
    @Post("/deployments/{name}/cutover")
    public HttpResponse<?> cutover(@PathVariable String name, @QueryValue(defaultValue = "false") boolean dryRun,
                                   @Nullable @Body CutoverRequest request) {
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(operations.cutover(deployment.get(), dryRun, request), HttpStatus.ACCEPTED);
    }

    @ExecuteOn(TaskExecutors.BLOCKING)
    @Post("/deployments/{name}/rollback")
    public HttpResponse<?> rollback(@PathVariable String name) {
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(operations.rollback(deployment.get()), HttpStatus.OK);
    }

    /** Body of POST .../logical/attach. */
    @Serdeable
    public record AttachRequest(@Nullable String lsn, @Nullable String publication) {
    }

    @ExecuteOn(TaskExecutors.BLOCKING)
    @Post("/deployments/{name}/logical/attach")
    public HttpResponse<?> attach(@PathVariable String name, @Nullable @Body AttachRequest request) {
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(operations.attach(deployment.get(), request == null ? null : request.lsn(),
                request == null ? null : request.publication()), HttpStatus.OK);
    }

    @Get("/operations/{id}")
    public HttpResponse<?> operation(@PathVariable String id) {
        return operations.operation(id).<HttpResponse<?>>map(op -> HttpResponse.ok(op.view()))
                .orElseGet(() -> Problem.response(HttpStatus.NOT_FOUND, "no operation " + id));
    }

    private static HttpResponse<?> respond(OperationService.Outcome outcome, HttpStatus accepted) {
        if (outcome instanceof OperationService.Accepted a) {
            return HttpResponse.status(accepted).body(a.operation().view());
        }
        if (outcome instanceof OperationService.Planned p) {
            return HttpResponse.ok(new Plan(p.verdict().deployment(), true, p.steps(), p.verdict()));
        }
        if (outcome instanceof OperationService.Invalid i) {
            return Problem.response(HttpStatus.BAD_REQUEST, i.reason());
        }
        OperationService.Refused r = (OperationService.Refused) outcome;
        return HttpResponse.status(HttpStatus.CONFLICT)
                .body(new Refusal("about:blank", "Conflict", 409, r.reason(), r.failingChecks()))
                .contentType(Problem.MEDIA_TYPE);
    }
}
