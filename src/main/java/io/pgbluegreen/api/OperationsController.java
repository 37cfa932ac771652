package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.cutover.CutoverRequest;
import io.pgbluegreen.cutover.CutoverService;
import io.pgbluegreen.mode.logical.AttachService;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.rollback.RollbackService;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.Verdict;

import java.util.List;

/**
 * The guarded actions, and the operations they started (GET needs no token): POST .../cutover answers 202 with the operation (or the dry-run plan), 409 with the failing
 * checks or the operation in the way; POST .../rollback answers with the finished rollback or 409 and the reason.
 * All need the bearer token (BearerTokenFilter). Their query parameters and JSON bodies are read strictly
 * (StrictQuery, StrictBody) before anything else: input they do not take is refused with 400, never ignored. They run
 * on the blocking pool, not on Netty's event loop: they read live from databases that may hang.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller
public class OperationsController {
    private final Topology topology;
    private final OperationService operations;
    private final CutoverService cutovers;
    private final RollbackService rollbacks;
    private final AttachService attachments;
    private final JsonMapper json;

    public OperationsController(Topology topology, OperationService operations, CutoverService cutovers,
                                RollbackService rollbacks, AttachService attachments, JsonMapper json) {
        this.topology = topology;
        this.operations = operations;
        this.cutovers = cutovers;
        this.rollbacks = rollbacks;
        this.attachments = attachments;
        this.json = json;
    }

    /**
     * 409 body: the problem, why (the refusal's cause), whether asking again can help, and the checks that block.
     */
    @Serdeable
    public record RefusalBody(String type, String title, int status, String detail, String cause, boolean retryCanHelp,
                              List<CheckResult> failingChecks) {
    }

    @Serdeable
    public record Plan(String deployment, boolean dryRun, List<String> steps, Verdict verdict) {
    }

    @Post("/deployments/{name}/cutover")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> cutover(HttpRequest<?> http, @PathVariable String name, @Nullable @Body String body) {
        boolean dryRun = StrictQuery.flags(http, "dryRun").getOrDefault("dryRun", false);
        CutoverRequest request = StrictBody.read(json, body, CutoverRequest.class);
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(cutovers.cutover(deployment.get(), dryRun, request), HttpStatus.ACCEPTED);
    }

    /** Rollback takes no parameters: its body may only be empty or {@code {}}. */
    @Serdeable
    public record RollbackRequest() {
    }

    @Post("/deployments/{name}/rollback")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> rollback(HttpRequest<?> http, @PathVariable String name, @Nullable @Body String body) {
        StrictQuery.flags(http);
        StrictBody.read(json, body, RollbackRequest.class);
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(rollbacks.rollback(deployment.get()), HttpStatus.OK);
    }

    /** Body of POST .../logical/attach. */
    @Serdeable
    public record AttachRequest(@Nullable String lsn, @Nullable String publication) {
    }

    @Post("/deployments/{name}/logical/attach")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> attach(HttpRequest<?> http, @PathVariable String name, @Nullable @Body String body) {
        StrictQuery.flags(http);
        AttachRequest request = StrictBody.read(json, body, AttachRequest.class);
        var deployment = topology.deployment(name);
        if (deployment.isEmpty()) {
            return Problem.noDeployment(name);
        }
        return respond(attachments.attach(deployment.get(), request == null ? null : request.lsn(),
                request == null ? null : request.publication()), HttpStatus.OK);
    }

    /**
     * Every operation of the journal (earlier runs included), newest first, a page at a time: {@code ?limit=} (1-100,
     * default 20), {@code before=} (the id of the last operation of the previous page, as {@code next} gives it),
     * {@code deployment=}. Reads memory only, so it stays on the event loop.
     */
    @Get(OperationList.PATH)
    public HttpResponse<?> operations(HttpRequest<?> http) {
        OperationList.Query query = OperationList.Query.of(StrictQuery.values(http, OperationList.DEPLOYMENT,
                OperationList.LIMIT, OperationList.BEFORE));
        if (query.deployment() != null && topology.deployment(query.deployment()).isEmpty()) {
            return Problem.noDeployment(query.deployment());
        }
        return HttpResponse.ok(OperationList.page(operations.operations().stream().map(Operation::view).toList(), query));
    }

    @Get("/operations/{id}")
    public HttpResponse<?> operation(@PathVariable String id) {
        return operations.operation(id).<HttpResponse<?>>map(op -> HttpResponse.ok(op.view()))
                .orElseGet(() -> Problem.response(HttpStatus.NOT_FOUND, "no operation " + id));
    }

    static HttpResponse<?> respond(Outcome outcome, HttpStatus accepted) {
        if (outcome instanceof Outcome.Accepted a) {
            return HttpResponse.status(accepted).body(a.operation().view());
        }
        if (outcome instanceof Outcome.Planned p) {
            return HttpResponse.ok(new Plan(p.verdict().deployment(), true, p.steps(), p.verdict()));
        }
        if (outcome instanceof Outcome.Invalid i) {
            return Problem.response(HttpStatus.BAD_REQUEST, i.reason());
        }
        return refused((Refusal) outcome);
    }

    /** A refusal as every mutating call answers it: 409 problem+json with its cause and any failing checks. */
    static HttpResponse<?> refused(Refusal r) {
        return HttpResponse.status(HttpStatus.CONFLICT)
                .body(new RefusalBody("about:blank", "Conflict", 409, r.reason(),
                        r.cause().name().toLowerCase(java.util.Locale.ROOT), r.retryCanHelp(), r.failingChecks()))
                .contentType(Problem.MEDIA_TYPE);
    }
}
