package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.api.BadRequest;
import io.pgbluegreen.api.StrictBody;

/**
 * The agent's API, {@code /agent/v1}: behind {@link AgentTokenFilter}, bodies read strictly, every call on the
 * blocking pool (they run commands). Nothing in a request names a command, a path or a file.
 */
@Controller("/agent/v1")
@Requires(property = AgentConfig.ENABLED, value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AgentController {
    /** The xid as the body writes it: digits only, the value ending at a comma, a brace or white space. */
    private static final java.util.regex.Pattern XID_LITERAL =
            java.util.regex.Pattern.compile("\"xid\"\\s*:\\s*(-?[0-9]+)\\s*[,}]");
    private final AgentSteps steps;
    private final AgentReads reads;
    private final JsonMapper json;

    AgentController(AgentSteps steps, AgentReads reads, JsonMapper json) {
        this.steps = steps;
        this.reads = reads;
        this.json = json;
    }

    @Get("/status")
    public AgentStatus status() {
        return reads.status();
    }

    @Post("/patroni/stop")
    public CommandResult stopPatroni(@Nullable @Body String body) {
        StrictBody.read(json, body, AgentRequests.None.class);
        return steps.stopPatroni();
    }

    @Post("/patroni/start")
    public CommandResult startPatroni(@Nullable @Body String body) {
        StrictBody.read(json, body, AgentRequests.None.class);
        return steps.startPatroni();
    }

    /** Sets or removes the safety net's exclusion tags in Patroni's configuration file (the caller reloads Patroni). */
    @Post("/patroni/tags")
    public TagsResult tags(@Nullable @Body String body) {
        AgentRequests.Tags request = StrictBody.read(json, body, AgentRequests.Tags.class);
        if (request == null || request.exclude() == null) {
            throw new BadRequest("exclude: missing (true sets the safety net's tags, false removes them)");
        }
        return steps.tags(request.exclude());
    }

    @Post("/postgres/stop")
    public CommandResult stopPostgres(@Nullable @Body String body) {
        StrictBody.read(json, body, AgentRequests.None.class);
        return steps.stopPostgres();
    }

    @Post("/postgres/start")
    public CommandResult startPostgres(@Nullable @Body String body) {
        StrictBody.read(json, body, AgentRequests.None.class);
        return steps.startPostgres();
    }

    @Post("/postgres/recover")
    public CommandResult recover(@Nullable @Body String body) {
        AgentRequests.Recover request = StrictBody.read(json, body, AgentRequests.Recover.class);
        if (request == null || request.xid() == null) {
            throw new BadRequest("xid: missing (the transaction to recover to, a positive number)");
        }
        // the number as written, not as the JSON reader rounded it (a double past 2^53 would name another xid): a
        // fraction or a number past a long is refused, never truncated or wrapped
        java.util.regex.Matcher literal = XID_LITERAL.matcher(body);
        long xid;
        try {
            if (!literal.find()) {
                throw new NumberFormatException();
            }
            xid = Long.parseLong(literal.group(1));
        } catch (NumberFormatException e) {
            throw new BadRequest("xid: must be a positive whole number that fits in 64 bits");
        }
        if (xid <= 0) {
            throw new BadRequest("xid: must be positive, got " + xid);
        }
        return steps.recover(xid);
    }

    @Post("/wal/check")
    public WalCheck walCheck(@Nullable @Body String body) {
        AgentRequests.WalRange request = StrictBody.read(json, body, AgentRequests.WalRange.class);
        if (request == null) {
            throw new BadRequest("body: missing ({\"timeline\": 1, \"from\": \"0/3000060\", \"to\": \"0/3000148\"})");
        }
        if (request.timeline() == null || request.timeline() <= 0) {
            throw new BadRequest("timeline: must be a positive number");
        }
        long from = lsn("from", request.from());
        long to = lsn("to", request.to());
        if (from > to) {
            throw new BadRequest("from: " + request.from() + " is after to: " + request.to());
        }
        return reads.walCheck(request.timeline(), from, to);
    }

    private static long lsn(String field, @Nullable String value) {
        if (value == null) {
            throw new BadRequest(field + ": missing (an LSN such as 0/3000060)");
        }
        if (!WalSegments.isLsn(value)) {
            throw new BadRequest(field + ": not an LSN (hex/hex, such as 0/3000060)");
        }
        return WalSegments.bytes(value);
    }
}
