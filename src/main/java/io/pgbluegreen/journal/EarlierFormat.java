package io.pgbluegreen.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the facts of entries written by earlier versions, which journaled them as strings under keys (lists joined
 * with commas) and left some to the end of a step. The keys and step names here are those earlier journals hold on
 * disk: they stay as they are even if a step is renamed.
 */
final class EarlierFormat {
    static final String FENCE_ROLES = "fence.blocked_roles";
    /** Role names joined with commas, before they were quoted. */
    static final String FENCE_ROLES_UNQUOTED = "fence.roles";
    static final String FENCE_PREVIOUS = "fence.previous_read_only";
    static final String GREEN_BASELINE = "green_baseline_xid";
    static final String GREEN_BASELINE_RUNNING = "green_baseline_running";
    /** Before green_baseline_xid: post_checks journaled green's next transaction id (after PgBouncer resumed). */
    static final String GREEN_NEXT_XID = "green_next_xid";
    static final String GREEN_OWN_XID = "green_own_xid";
    static final String BLUE_OWN_XID = "blue_own_xid";
    static final String ROLLBACK_PLAN = "rollback.plan";
    static final String REVERSE_SUBSCRIPTION = "reverse.subscription";
    static final String PREVIOUS_SYNCHRONOUS_COMMIT = "subscription.synchronous_commit";
    static final String FINAL_LSN = "final_lsn";
    static final String BLUE_NEXT_XID = "blue_next_xid";
    static final String PGBOUNCER_PAUSED = "pgbouncer.paused";
    static final String PGBOUNCER_PREVIOUS_ENTRY = "pgbouncer.previous_entry";
    static final String GREEN_WROTE = "green_wrote";
    static final String OVERRIDDEN_CHECKS = "checks";

    /** Earlier versions said these facts only by the end of the step that made them true. */
    private static final Map<String, StepFact> TOLD_BY_STEP_END = Map.of(
            "stop_subscription", new StepFact.SynchronousCommitRestored(),
            "reverse_catch_up", new StepFact.ReverseCaughtUp(),
            "stop_reverse", new StepFact.ReverseDropped());

    private EarlierFormat() {
    }

    static List<StepFact> facts(JournalEntry entry) {
        List<StepFact> facts = new ArrayList<>();
        Map<String, String> data = entry.data();
        if (data != null && entry.event() != JournalEvent.TORN_LINE) {
            addFromData(data, facts);
        }
        if (entry.event() == JournalEvent.STEP_FINISHED && TOLD_BY_STEP_END.containsKey(entry.step())) {
            facts.add(TOLD_BY_STEP_END.get(entry.step()));
        }
        return facts;
    }

    private static void addFromData(Map<String, String> data, List<StepFact> facts) {
        if (data.containsKey(FENCE_ROLES) || data.containsKey(FENCE_ROLES_UNQUOTED)) {
            List<String> roles = data.containsKey(FENCE_ROLES) ? QuotedNames.parse(data.get(FENCE_ROLES))
                    : commaList(data.get(FENCE_ROLES_UNQUOTED));
            facts.add(new StepFact.FenceApplied(roles, data.getOrDefault(FENCE_PREVIOUS, "")));
        }
        if (data.containsKey(GREEN_BASELINE) || data.containsKey(GREEN_NEXT_XID)) {
            long xid = Long.parseLong(data.getOrDefault(GREEN_BASELINE, data.get(GREEN_NEXT_XID)));
            List<Long> running = commaList(data.getOrDefault(GREEN_BASELINE_RUNNING, "")).stream().map(Long::valueOf).toList();
            facts.add(new StepFact.GreenBaselineTaken(xid, running));
        }
        if (data.containsKey(GREEN_OWN_XID)) {
            facts.add(new StepFact.OwnGreenXid(Long.parseLong(data.get(GREEN_OWN_XID))));
        }
        if (data.containsKey(BLUE_OWN_XID)) {
            facts.add(new StepFact.OwnBlueXid(Long.parseLong(data.get(BLUE_OWN_XID))));
        }
        if (data.containsKey(ROLLBACK_PLAN)) {
            facts.add(new StepFact.RollbackPlanned(commaList(data.get(ROLLBACK_PLAN))));
        }
        if (data.containsKey(REVERSE_SUBSCRIPTION)) {
            facts.add(new StepFact.ReverseSetUp(data.get(REVERSE_SUBSCRIPTION)));
        }
        if (data.containsKey(PREVIOUS_SYNCHRONOUS_COMMIT)) {
            facts.add(new StepFact.SynchronousCommitReplaced(data.get(PREVIOUS_SYNCHRONOUS_COMMIT)));
        }
        if (data.containsKey(FINAL_LSN) && data.containsKey(BLUE_NEXT_XID)) {
            facts.add(new StepFact.BlueFinalPosition(data.get(FINAL_LSN), Long.parseLong(data.get(BLUE_NEXT_XID))));
        }
        if (Boolean.parseBoolean(data.get(PGBOUNCER_PAUSED))) {
            facts.add(new StepFact.PgBouncerPaused());
        }
        if (data.containsKey(PGBOUNCER_PREVIOUS_ENTRY)) {
            facts.add(new StepFact.PgBouncerRepointed(data.get(PGBOUNCER_PREVIOUS_ENTRY)));
        }
        if (data.containsKey(GREEN_WROTE)) {
            facts.add(new StepFact.GreenAudited(Boolean.parseBoolean(data.get(GREEN_WROTE))));
        }
        if (data.containsKey(OVERRIDDEN_CHECKS)) {
            facts.add(new StepFact.ChecksOverridden(commaList(data.get(OVERRIDDEN_CHECKS))));
        }
    }

    /** Earlier versions joined lists with commas; an empty string is an empty list. */
    private static List<String> commaList(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(","));
    }
}
