package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.journal.StepFact;

/**
 * What the journal says about one deployment's safety net: the net held now (null: none), and what an earlier hold
 * or release that was cut off or failed may have left behind (null: nothing), which a DELETE cleans up.
 */
public record SafetyNetRecord(@Nullable Held held, @Nullable Leftover leftover, @Nullable Consumed consumed) {
    public static final SafetyNetRecord NONE = new SafetyNetRecord(null, null, null);

    public SafetyNetRecord(@Nullable Held held, @Nullable Leftover leftover) {
        this(held, leftover, null);
    }

    /** The last net held was used up by a rollback ({@code operationId}, see GET /operations/{id}): none is held now. */
    @Serdeable
    public record Consumed(String holdId, String operationId, StepFact.SafetyNetHeld net) {
    }

    /** A held net: the hold's id, its journaled facts, and whether the member was tagged (see MemberTags). */
    public record Held(String id, StepFact.SafetyNetHeld net, boolean tagged) {
        public Held(String id, StepFact.SafetyNetHeld net) {
            this(id, net, false);
        }
    }

    /**
     * What may still be in effect from an attempt that did not end cleanly: replay paused on the member by us,
     * maintenance mode entered by us, and/or the member's exclusion tags set by us. {@code detail} says which attempt and how it ended.
     */
    @Serdeable
    public record Leftover(String attemptId, String cluster, String member, String host, int port,
                           boolean replayMayBePaused, boolean maintenanceMayBeOurs, boolean tagsMayBeSet,
                           String detail) {
    }
}
