package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.agent.AgentClients;
import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.config.Secrets;

import java.time.Duration;
import java.util.Optional;

/**
 * The host agents of a Patroni cluster's members as the daemon calls them: with its own API token
 * ({@code pg-bluegreen.api.token-file}), read at each call so a rotated token takes effect at once.
 */
public final class MemberAgents {
    /** An agent command may take as long as its own timeout (2 min by default) plus the answer. */
    public static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
    private final String tokenFile;

    public MemberAgents(String tokenFile) {
        this.tokenFile = tokenFile == null ? "" : tokenFile;
    }

    /** The daemon's token, or empty when it has none (then no agent can be called). */
    public Optional<String> token() {
        if (tokenFile.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Secrets.readFile(tokenFile)).filter(t -> !t.isEmpty());
        } catch (Secrets.SecretUnavailableException e) {
            return Optional.empty();
        }
    }

    /** The agent of {@code member}, when one is configured and the daemon has a token to call it with. */
    public Optional<AgentClient> of(PatroniClusterConfig cluster, String member) {
        return token().flatMap(token -> AgentClients.forCluster(cluster, member, token, CALL_TIMEOUT));
    }
}
