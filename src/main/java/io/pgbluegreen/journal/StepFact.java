package io.pgbluegreen.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A fact a step journals for an undo, a rollback or a restarted daemon, as typed JSON ({@code "kind"} names it):
 * lists stay JSON arrays, so any role name comes back as it was. Journals of earlier versions carried these as
 * strings in {@link JournalEntry#data()}; {@link EarlierFormat} reads those. Empty lists and strings are left out
 * of the JSON (Serde's default), so the records read them back from null.
 */
@Serdeable
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StepFact.FenceApplied.class, name = "fence"),
        @JsonSubTypes.Type(value = StepFact.GreenBaselineTaken.class, name = "green-baseline"),
        @JsonSubTypes.Type(value = StepFact.OwnGreenXid.class, name = "green-own-xid"),
        @JsonSubTypes.Type(value = StepFact.OwnBlueXid.class, name = "blue-own-xid"),
        @JsonSubTypes.Type(value = StepFact.RollbackPlanned.class, name = "rollback-plan"),
        @JsonSubTypes.Type(value = StepFact.ReverseSetUp.class, name = "reverse-subscription"),
        @JsonSubTypes.Type(value = StepFact.ReverseCaughtUp.class, name = "reverse-caught-up"),
        @JsonSubTypes.Type(value = StepFact.ReverseDropped.class, name = "reverse-dropped"),
        @JsonSubTypes.Type(value = StepFact.SynchronousCommitReplaced.class, name = "synchronous-commit-replaced"),
        @JsonSubTypes.Type(value = StepFact.SynchronousCommitRestored.class, name = "synchronous-commit-restored"),
        @JsonSubTypes.Type(value = StepFact.BlueFinalPosition.class, name = "blue-final-position"),
        @JsonSubTypes.Type(value = StepFact.PgBouncerPaused.class, name = "pgbouncer-paused"),
        @JsonSubTypes.Type(value = StepFact.PgBouncerRepointed.class, name = "pgbouncer-repointed"),
        @JsonSubTypes.Type(value = StepFact.GreenAudited.class, name = "green-audited"),
        @JsonSubTypes.Type(value = StepFact.ChecksOverridden.class, name = "checks-overridden"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetTarget.class, name = "safety-net-target"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetMaintenance.class, name = "safety-net-maintenance"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetReplayPaused.class, name = "safety-net-replay-paused"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetMarked.class, name = "safety-net-marked"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetHeld.class, name = "safety-net-held"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetReplayResumed.class, name = "safety-net-replay-resumed"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetMaintenanceLeft.class, name = "safety-net-maintenance-left"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetReleased.class, name = "safety-net-released"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetRollbackStarted.class, name = "safety-net-rollback-started"),
        @JsonSubTypes.Type(value = StepFact.SafetyNetTags.class, name = "safety-net-tags"),
})
public sealed interface StepFact {

    /** What fencing changed on a side: the roles whose LOGIN it removed, the ALTER SYSTEM read-only value before ("": none). */
    @Serdeable
    record FenceApplied(List<String> blockedRoles, String previousReadOnly) implements StepFact {
        public FenceApplied {
            blockedRoles = blockedRoles == null ? List.of() : List.copyOf(blockedRoles);
            previousReadOnly = previousReadOnly == null ? "" : previousReadOnly;
        }
    }

    /** Green's "took no writes" baseline: its first transaction id after our own last write, and those running then. */
    @Serdeable
    record GreenBaselineTaken(long xid, List<Long> running) implements StepFact {
        public GreenBaselineTaken {
            running = running == null ? List.of() : List.copyOf(running);
        }
    }

    /** A transaction id one of our own steps used on green (never a client's write). */
    @Serdeable
    record OwnGreenXid(long xid) implements StepFact {
    }

    /** A transaction id one of our own steps used on blue. */
    @Serdeable
    record OwnBlueXid(long xid) implements StepFact {
    }

    /** A rollback's planned steps, in order (journaled again whenever the plan grows). */
    @Serdeable
    record RollbackPlanned(List<String> steps) implements StepFact {
        public RollbackPlanned {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /** The subscription on blue that carries green's writes back (logical). */
    @Serdeable
    record ReverseSetUp(String subscription) implements StepFact {
    }

    /** Blue has every write green took: the reverse subscription caught up. */
    @Serdeable
    record ReverseCaughtUp() implements StepFact {
    }

    /** The reverse subscription is gone: green's writes can no longer reach blue through it. */
    @Serdeable
    record ReverseDropped() implements StepFact {
    }

    /** The subscription's synchronous_commit that the cutover replaced with {@code on}. */
    @Serdeable
    record SynchronousCommitReplaced(String previous) implements StepFact {
        public SynchronousCommitReplaced {
            previous = previous == null ? "" : previous;
        }
    }

    /** The subscription's synchronous_commit is set back. */
    @Serdeable
    record SynchronousCommitRestored() implements StepFact {
    }

    /** Blue's final WAL position and next transaction id once it was quiet. */
    @Serdeable
    record BlueFinalPosition(String lsn, long nextXid) implements StepFact {
    }

    /** PgBouncer was paused (before the fence). */
    @Serdeable
    record PgBouncerPaused() implements StepFact {
    }

    /** PgBouncer's database entry before it was pointed at green. */
    @Serdeable
    record PgBouncerRepointed(String previousEntry) implements StepFact {
    }

    /** What audit_green found: green took writes since its baseline. */
    @Serdeable
    record GreenAudited(boolean wrote) implements StepFact {
    }

    /** The blocking gate checks an operator overrode. */
    @Serdeable
    record ChecksOverridden(List<String> checks) implements StepFact {
        public ChecksOverridden {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }
    }

    /**
     * The replica a safety-net hold or release is about: the Patroni cluster, the member, and the PostgreSQL address
     * /cluster gave for it (journaled before anything changes, so a restarted daemon can reach it).
     */
    @Serdeable
    record SafetyNetTarget(String cluster, String member, String host, int port) implements StepFact {
    }

    /**
     * Maintenance mode for a safety net: {@code enteredByUs} true when the hold sets it (journaled before the PATCH, so
     * a cut-off hold is known to have maybe set it), false when the cluster was in maintenance mode already (then a
     * release leaves it on, as found).
     */
    @Serdeable
    record SafetyNetMaintenance(boolean enteredByUs) implements StepFact {
    }

    /** WAL replay on the member is (about to be) paused by the hold; {@code replayLsn} once it reads paused ("" before). */
    @Serdeable
    record SafetyNetReplayPaused(String member, String replayLsn) implements StepFact {
        public SafetyNetReplayPaused {
            replayLsn = replayLsn == null ? "" : replayLsn;
        }
    }

    /**
     * The marker transaction the hold committed on the leader: its id ({@code txid_current()}, epoch included),
     * the leader's WAL insert position just before it ({@code lsnBefore}: every record of the marker lies after it)
     * and right after its commit ({@code lsn}: its commit record ends at or before it), the restore point created
     * after it and that point's position, and the leader's timeline.
     */
    @Serdeable
    record SafetyNetMarked(long xid, String lsnBefore, String lsn, String restorePoint, String restorePointLsn,
                           int timeline) implements StepFact {
    }

    /** A safety net is held: everything a release, a rollback or a restarted daemon needs. */
    @Serdeable
    record SafetyNetHeld(String cluster, String member, String host, int port, String leader, long xid,
                         String lsnBefore, String lsn, String restorePoint, String restorePointLsn, int timeline,
                         String replayLsn, java.time.Instant heldSince, boolean enteredMaintenance) implements StepFact {
    }

    /** WAL replay on the member was resumed (a release, or the undo of a hold that failed). */
    @Serdeable
    record SafetyNetReplayResumed(String member) implements StepFact {
    }

    /** Maintenance mode this daemon had entered was left. */
    @Serdeable
    record SafetyNetMaintenanceLeft() implements StepFact {
    }

    /** The held safety net {@code holdId} is released; {@code caughtUp}: the member reached the leader's position in time. */
    @Serdeable
    record SafetyNetReleased(String holdId, boolean caughtUp, String replayLsn) implements StepFact {
        public SafetyNetReleased {
            holdId = holdId == null ? "" : holdId;
            replayLsn = replayLsn == null ? "" : replayLsn;
        }
    }

    /**
     * A rollback to the held net {@code holdId} begins: journaled before its first step touches the member, so from
     * here on (a restart too) the net reads as consumed by the rollback, never as held.
     */
    @Serdeable
    record SafetyNetRollbackStarted(String holdId, String cluster, String member, String leader, long xid,
                                    boolean memberTagged) implements StepFact {
    }

    /**
     * The member's exclusion tags are (about to be) set ({@code exclude}) or removed: journaled before the agent writes
     * Patroni's configuration file, so a cut-off hold is known to have maybe left them.
     */
    @Serdeable
    record SafetyNetTags(String member, boolean exclude) implements StepFact {
    }
}
