package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * 200 answer of DELETE .../safety-net: replay resumed, whether maintenance mode was left (null: this net had not
 * entered it, so it stays as found), whether the member caught up with the leader within the catch-up timeout.
 */
@Serdeable
public record ReleaseAnswer(String deployment, String id, String member, boolean replayResumed,
                            @Nullable Boolean maintenanceLeft, boolean caughtUp, @Nullable String replayLsn,
                            long releaseMillis, String detail) {
}
