package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.agent.AgentClients;
import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.config.Secrets;

import java.time.Duration;
import java.util.Optional;

/**
 * The host agents of a Patroni cluster's members as the daemon calls them: with the cluster's agent token
 * ({@code pg-bluegreen.patroni.<cluster>.agent-token-file}, so a database host need not hold the token of the daemon's
 * own API) or else the daemon's API token ({@code pg-bluegreen.api.token-file}); read at each call, so a rotated token
 * takes effect at once.
 */
public final class MemberAgents {
    /** An agent command may take as long as its own timeout (2 min by default) plus the answer. */
    public static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
    private final String tokenFile;

    public MemberAgents(String tokenFile) {
        this.tokenFile = tokenFile == null ? "" : tokenFile;
    }

    /** The token the cluster's agents take, or empty when there is none (then no agent can be called). */
    public Optional<String> token(PatroniClusterConfig cluster) {
        String file = cluster.agentTokenFile() != null ? cluster.agentTokenFile() : tokenFile;
        if (file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Secrets.readFile(file)).filter(t -> !t.isEmpty());
        } catch (Secrets.SecretUnavailableException e) {
            return Optional.empty();
        }
    }

    /** The agent of {@code member}, when one is configured and there is a token to call it with. */
    public Optional<AgentClient> of(PatroniClusterConfig cluster, String member) {
        return token(cluster).flatMap(token -> AgentClients.forCluster(cluster, member, token, CALL_TIMEOUT));
    }
}
