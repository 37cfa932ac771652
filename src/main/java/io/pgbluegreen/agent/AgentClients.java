package io.pgbluegreen.agent;

import io.pgbluegreen.config.PatroniClusterConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The agent client for one member of a Patroni cluster, from its configuration. */
public final class AgentClients {
    private AgentClients() {
    }

    /** Empty when no agent is configured for the member ({@code pg-bluegreen.patroni.<cluster>.agents.<member>}). */
    public static Optional<AgentClient> forCluster(PatroniClusterConfig cluster, String member, String token,
                                                   Duration timeout) {
        String url = cluster.agentUrls().get(member);
        if (url == null) {
            return Optional.empty();
        }
        Path ca = cluster.agentCaFile() == null ? null : Path.of(cluster.agentCaFile());
        return Optional.of(new AgentClient(member, url, ca, token, timeout));
    }
}
