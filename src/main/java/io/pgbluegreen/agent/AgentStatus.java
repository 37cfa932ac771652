package io.pgbluegreen.agent;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What the agent sees of its PostgreSQL: whether pg_ctl finds it running, what pg_control says (null when it could
 * not be read), the signal files, and the last lines of the log of a server the agent started itself.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS) // every field, an empty list or a null included: callers read them all
public record AgentStatus(String dataDirectory,
                          boolean postgresRunning,
                          @Nullable Long postmasterPid,
                          @Nullable String clusterState,
                          @Nullable Integer timeline,
                          boolean standbySignal,
                          boolean recoverySignal,
                          List<String> serverLogTail) {
    public AgentStatus {
        serverLogTail = serverLogTail == null ? List.of() : List.copyOf(serverLogTail);
    }

}
