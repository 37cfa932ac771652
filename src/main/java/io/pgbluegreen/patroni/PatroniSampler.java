package io.pgbluegreen.patroni;

import io.pgbluegreen.config.PatroniClusterConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tick against one Patroni cluster: each member's GET /patroni, and GET /cluster from the first member that
 * answers (starting with the one that answered last time). Never throws: failures are recorded per member.
 */
public final class PatroniSampler implements AutoCloseable {
    private final PatroniClusterConfig config;
    private final List<PatroniMemberClient> members = new ArrayList<>();
    private int preferred;

    public PatroniSampler(PatroniClusterConfig config, Duration timeout) {
        this.config = config;
        config.memberUrls().forEach(url -> members.add(new PatroniMemberClient(url, config, timeout)));
    }

    public PatroniClusterState tick() {
        Instant at = Instant.now();
        Map<String, PatroniClusterState.MemberStatus> statuses = new LinkedHashMap<>();
        for (PatroniMemberClient member : members) {
            try {
                statuses.put(member.baseUrl(), new PatroniClusterState.MemberStatus(member.baseUrl(), member.status(), null));
            } catch (RuntimeException e) {
                statuses.put(member.baseUrl(), new PatroniClusterState.MemberStatus(member.baseUrl(), null, describe(e)));
            }
        }
        String clusterError = "no member configured";
        for (int i = 0; i < members.size(); i++) {
            int index = (preferred + i) % members.size();
            PatroniMemberClient member = members.get(index);
            if (statuses.get(member.baseUrl()).error() != null) {
                clusterError = member.baseUrl() + ": " + statuses.get(member.baseUrl()).error();
                continue;
            }
            try {
                ClusterResponse cluster = member.cluster();
                preferred = index;
                return new PatroniClusterState(config.name(), at, cluster, null, statuses);
            } catch (RuntimeException e) {
                clusterError = member.baseUrl() + ": " + describe(e);
            }
        }
        return new PatroniClusterState(config.name(), at, null, clusterError, statuses);
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    @Override
    public void close() {
        members.forEach(PatroniMemberClient::close);
    }
}
