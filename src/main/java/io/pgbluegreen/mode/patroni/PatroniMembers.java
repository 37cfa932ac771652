package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.config.JdbcAddress;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniRole;

import java.util.List;
import java.util.Optional;

/**
 * Which Patroni member a configured target is: the member whose PostgreSQL host and port (as /cluster gives them)
 * are the target's. Loopback names are one host.
 */
final class PatroniMembers {
    private PatroniMembers() {
    }

    static Optional<ClusterResponse.Member> of(ClusterResponse cluster, TargetConfig target) {
        JdbcAddress address = JdbcAddress.parse(target.url());
        return cluster.memberList().stream()
                .filter(m -> m.port() != null && m.port() == address.port() && m.host() != null && JdbcAddress.sameHost(m.host(), address.host()))
                .findFirst();
    }

    static Optional<ClusterResponse.Member> leader(ClusterResponse cluster) {
        return cluster.memberList().stream().filter(m -> m.patroniRole() == PatroniRole.LEADER).findFirst();
    }

    static List<String> names(ClusterResponse cluster) {
        return cluster.memberList().stream().map(ClusterResponse.Member::name).toList();
    }

}
