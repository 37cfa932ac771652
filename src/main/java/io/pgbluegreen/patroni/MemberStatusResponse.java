package io.pgbluegreen.patroni;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * GET /patroni on one member: its own view (state, role, WAL positions, replay pause, pending restart).
 * The xlog block holds {@code location} on a leader and received/replayed positions on a replica.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record MemberStatusResponse(@Nullable String state, @Nullable String role, @Nullable Integer timeline,
                                   @Nullable Long serverVersion, @Nullable Xlog xlog, @Nullable Boolean pause,
                                   @Nullable Boolean pendingRestart, @Nullable String databaseSystemIdentifier,
                                   @Nullable JsonNode tags) {

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Xlog(@Nullable Long location, @Nullable Long receivedLocation, @Nullable Long replayedLocation,
                       @Nullable Boolean paused) {
    }

    /** The member says its WAL replay is paused (a safety net, ours or anybody's). */
    public boolean replayPaused() {
        return xlog != null && Boolean.TRUE.equals(xlog.paused());
    }

    /** The member runs with this tag set to true (nofailover, noloadbalance, nosync). */
    public boolean tagged(String tag) {
        JsonNode value = tags == null ? null : tags.get(tag);
        return value != null && value.isBoolean() && value.getBooleanValue();
    }

    public PatroniRole patroniRole() {
        return PatroniRole.of(role);
    }
}
