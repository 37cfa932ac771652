package io.pgbluegreen.fence;

import io.pgbluegreen.journal.StepFact;

import java.util.List;

/**
 * What fencing changed on a side, so that an abort (or a rollback after a crash, read back from the journal) undoes
 * exactly that: the roles whose LOGIN we removed, and the ALTER SYSTEM value of default_transaction_read_only that
 * was there before (empty: none). Journaled as a {@link StepFact.FenceApplied}: the role names as a JSON list, so any
 * name (commas and quotes included) comes back as it was.
 */
public record Fence(List<String> blockedRoles, String previousReadOnlySetting) {

    /** What the journal keeps of this fence. */
    public StepFact.FenceApplied fact() {
        return new StepFact.FenceApplied(List.copyOf(blockedRoles),
                previousReadOnlySetting == null ? "" : previousReadOnlySetting);
    }

    /** The fence a journal entry recorded. */
    public static Fence of(StepFact.FenceApplied fact) {
        return new Fence(List.copyOf(fact.blockedRoles()), fact.previousReadOnly());
    }
}
