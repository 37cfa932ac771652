package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.journal.StepFact;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * GET .../safety-net: {@code held} and, while held, what the journal recorded and the live figures. With none held
 * it is {@code {"deployment": ..., "held": false}} (and {@code leftover} when an earlier attempt may have left
 * replay paused or maintenance mode on).
 */
@Serdeable
public record SafetyNetView(String deployment, boolean held, @Nullable String id, @Nullable String cluster,
                            @Nullable String member, @Nullable String leader, @Nullable Long xid, @Nullable String lsn,
                            @Nullable String lsnBefore, @Nullable String restorePoint, @Nullable String restorePointLsn,
                            @Nullable Integer timeline, @Nullable String replayLsnAtHold, @Nullable Instant heldSince,
                            @Nullable Double heldSeconds, @Nullable Boolean enteredMaintenanceMode,
                            @Nullable SafetyNetFigures live, @Nullable List<String> cost,
                            @Nullable SafetyNetRecord.Leftover leftover,
                            @Nullable SafetyNetRecord.Consumed usedByRollback) {

    static SafetyNetView none(String deployment, SafetyNetRecord record) {
        return new SafetyNetView(deployment, false, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, record.leftover(), record.consumed());
    }

    static SafetyNetView held(String deployment, SafetyNetRecord.Held held, SafetyNetFigures live) {
        StepFact.SafetyNetHeld n = held.net();
        return new SafetyNetView(deployment, true, held.id(), n.cluster(), n.member(), n.leader(), n.xid(), n.lsn(),
                n.lsnBefore(), n.restorePoint(), n.restorePointLsn(), n.timeline(), n.replayLsn(), n.heldSince(),
                heldSeconds(n.heldSince()), n.enteredMaintenance(), live, SafetyNetCost.of(n.member(), n.enteredMaintenance(),
                held.tagged()),
                null, null);
    }

    static double heldSeconds(Instant since) {
        return Math.max(0, Duration.between(since, Instant.now()).toMillis() / 1000.0);
    }
}
