package io.pgbluegreen.patroni;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The latest sample of one Patroni cluster: /cluster from whichever member answered, and each configured
 * member's own /patroni (or why it did not answer). {@code cluster} is null while no member answers.
 */
@Serdeable
public record PatroniClusterState(String name, Instant sampledAt, @Nullable ClusterResponse cluster,
                                  @Nullable String clusterError, Map<String, MemberStatus> membersByUrl) {

    @Serdeable
    public record MemberStatus(String url, @Nullable MemberStatusResponse status, @Nullable String error) {
    }

    public boolean up() {
        return cluster != null;
    }

    /** The member's own /patroni answer, matched on the host:port of the api_url /cluster gives for it. */
    public MemberStatus statusOf(ClusterResponse.Member member) {
        if (member.apiUrl() == null) {
            return null;
        }
        String authority = URI.create(member.apiUrl()).getAuthority();
        return membersByUrl.values().stream().filter(s -> authority.equals(URI.create(s.url()).getAuthority()))
                .findFirst().orElse(null);
    }
}
