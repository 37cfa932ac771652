package io.pgbluegreen.patroni;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;

/** GET /cluster: the members as the DCS knows them and whether the cluster is paused (maintenance mode). */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ClusterResponse(@Nullable List<Member> members, @Nullable Boolean pause, @Nullable String scope) {

    /** {@code lag} is a number of bytes, or the text "unknown" when Patroni cannot tell. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Member(String name, @Nullable String role, @Nullable String state, @Nullable String apiUrl,
                         @Nullable String host, @Nullable Integer port, @Nullable Integer timeline,
                         @Nullable JsonNode lag) {

        public PatroniRole patroniRole() {
            return PatroniRole.of(role);
        }

        public Long lagBytes() {
            return lag != null && lag.isNumber() ? lag.getLongValue() : null;
        }
    }

    public List<Member> memberList() {
        return members == null ? List.of() : members;
    }

    public boolean paused() {
        return Boolean.TRUE.equals(pause);
    }
}
