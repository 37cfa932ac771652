package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniMemberClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The cluster's REST API as an operation uses it: /cluster from whichever configured member answers first. */
final class PatroniApi implements AutoCloseable {
    private final List<PatroniMemberClient> members = new ArrayList<>();
    private final PatroniClusterConfig cluster;

    PatroniApi(PatroniClusterConfig cluster, Duration timeout) {
        this.cluster = cluster;
        cluster.memberUrls().forEach(url -> members.add(new PatroniMemberClient(url, cluster, timeout)));
    }

    /** A client of that member that waits up to {@code timeout} for an answer (Patroni answers a switchover when done). */
    PatroniMemberClient patientClient(ClusterResponse.Member member, Duration timeout) {
        return new PatroniMemberClient(client(member).baseUrl(), cluster, timeout);
    }

    ClusterResponse cluster() throws StepFailure {
        List<String> errors = new ArrayList<>();
        for (PatroniMemberClient member : members) {
            try {
                return member.cluster();
            } catch (RuntimeException e) {
                errors.add(member.baseUrl() + ": " + e.getMessage());
            }
        }
        throw new StepFailure("no member of the Patroni cluster answers: " + String.join("; ", errors));
    }

    /** The configured client of that member (its REST API as /cluster gives it), else the first that is configured. */
    PatroniMemberClient client(ClusterResponse.Member member) {
        String authority = member.apiUrl() == null ? null : java.net.URI.create(member.apiUrl()).getAuthority();
        return members.stream().filter(m -> m.authority().equals(authority)).findFirst().orElse(members.get(0));
    }

    @Override
    public void close() {
        members.forEach(PatroniMemberClient::close);
    }
}
