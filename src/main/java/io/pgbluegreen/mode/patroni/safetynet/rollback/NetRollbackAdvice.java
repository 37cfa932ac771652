package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;

import java.util.ArrayList;
import java.util.List;

/**
 * What a safety-net rollback that did not finish leaves, and what is safe next, by the step it stopped at: after
 * a failure past the point of no return, after an undo that did not finish, and for a restarted daemon that finds
 * the rollback cut off (read from the journal alone).
 */
public final class NetRollbackAdvice {
    /** The other members keep nofailover until someone removes it: said wherever the rollback may have left it. */
    static final String OTHERS_TAGGED = "any other member of the cluster may still be tagged nofailover (the marked"
            + " pg-bluegreen block in its Patroni configuration file): remove the block and reload it (patronictl reload)"
            + " once the cluster has its leader";

    private NetRollbackAdvice() {
    }

    static String stateAfter(NetRollbackPlan plan, String failedStep) {
        return switch (failedStep) {
            case PromoteMemberStep.NAME -> plan.leader() + " is stopped; " + plan.member()
                    + " may or may not have been promoted";
            case MemberLeadsStep.NAME -> plan.member() + " is a primary at xid " + plan.net().xid() + " but does not hold"
                    + " the leader key; " + plan.leader() + " is stopped";
            case LeaveMaintenanceStep.NAME -> plan.member() + " leads; the cluster is still in maintenance mode";
            default -> plan.member() + " leads at xid " + plan.net().xid() + "; " + plan.leader() + " has not rejoined";
        };
    }

    static List<String> actionsAfter(String deployment, String cluster, String member, String leader, String failedStep) {
        List<String> actions = new ArrayList<>();
        actions.add("do not start " + leader + "'s PostgreSQL by hand: it holds the writes the rollback discards, and"
                + " would be a second primary");
        switch (failedStep) {
            case PromoteMemberStep.NAME -> {
                actions.add("on " + member + ": SELECT pg_is_in_recovery(); while true and paused, SELECT pg_wal_replay_resume()"
                        + " promotes it at the marker");
                actions.add("then start " + member + "'s Patroni (its agent's start-patroni) and wait until it leads");
                actions.add("then patronictl resume " + cluster + ", and start " + leader + "'s Patroni: it rewinds and follows");
            }
            case MemberLeadsStep.NAME -> {
                actions.add("start " + member + "'s Patroni if it does not run, and wait until it takes the leader key"
                        + " (after the old key's ttl)");
                actions.add("then patronictl resume " + cluster + ", and start " + leader + "'s Patroni: it rewinds and follows");
            }
            case LeaveMaintenanceStep.NAME -> actions.add("patronictl resume " + cluster + ", then start " + leader
                    + "'s Patroni: it rewinds and follows");
            default -> actions.add("patronictl reinit " + cluster + " " + leader + " if it does not stream from "
                    + member + " (patronictl list " + cluster + ")");
        }
        if (failedStep.equals(PromoteMemberStep.NAME) || failedStep.equals(MemberLeadsStep.NAME)
                || failedStep.equals(OtherMembersTagsStep.RESTORE)) {
            actions.add(OTHERS_TAGGED);
        }
        actions.add("GET /deployments/" + deployment + "/safety-net and /gate to see the cluster as the daemon reads it");
        return actions;
    }

    static List<String> actionsAfterFailedUndo(String cluster, String member, String leader) {
        return List.of("keep the cluster in maintenance mode until " + leader + " leads again (patronictl list " + cluster + ")",
                "start " + leader + "'s PostgreSQL and Patroni through its agent (or systemctl) if they do not run",
                "then stop " + member + "'s PostgreSQL, start its Patroni and patronictl resume " + cluster
                        + ": it streams from " + leader + " again");
    }

    /** The next actions for a rollback a restarted daemon found cut off; its journal lines are {@code lines}. */
    public static List<String> afterInterruption(String deployment, List<JournalEntry> lines) {
        StepFact.SafetyNetRollbackStarted started = lines.stream().flatMap(e -> e.readFacts().stream())
                .filter(StepFact.SafetyNetRollbackStarted.class::isInstance).map(StepFact.SafetyNetRollbackStarted.class::cast)
                .findFirst().orElse(null);
        if (started == null) {
            return List.of("the rollback stopped before it touched any member: GET /deployments/" + deployment + "/safety-net");
        }
        List<String> steps = lines.stream().filter(e -> e.event() == JournalEvent.STEP_STARTED).map(JournalEntry::step).toList();
        boolean othersTagged = steps.contains(OtherMembersTagsStep.EXCLUDE) && !lines.stream().anyMatch(e ->
                e.event() == JournalEvent.STEP_FINISHED && OtherMembersTagsStep.RESTORE.equals(e.step()));
        List<String> advice = new ArrayList<>(advice(deployment, steps, started));
        boolean memberUntagged = lines.stream().anyMatch(e -> e.event() == JournalEvent.STEP_FINISHED
                && (MemberLeadsStep.NAME.equals(e.step()) || ReturnMemberStep.NAME.equals(e.step())));
        if (started.memberTagged() && !memberUntagged) {
            advice.add(started.member() + " may still carry the safety net's tags (nofailover, noloadbalance, nosync):"
                    + " remove the marked pg-bluegreen block from its Patroni configuration file (or POST"
                    + " /agent/v1/patroni/tags {\"exclude\": false} to its agent) and reload it (patronictl reload "
                    + started.cluster() + " " + started.member() + ")");
        }
        if (othersTagged && !advice.contains(OTHERS_TAGGED)) {
            advice.add(OTHERS_TAGGED);
        }
        return advice;
    }

    private static List<String> advice(String deployment, List<String> steps, StepFact.SafetyNetRollbackStarted started) {
        String member = started.member();
        String leader = started.leader();
        String cluster = started.cluster();
        if (steps.contains(PromoteMemberStep.NAME)) {
            String last = steps.get(steps.size() - 1);
            return actionsAfter(deployment, cluster, member, leader, last);
        }
        if (steps.contains(StopOldLeaderStep.NAME)) {
            return List.of(leader + " may be stopped and " + member + " paused at xid " + started.xid() + " outside Patroni;"
                            + " nothing was promoted",
                    "to go back: start " + leader + "'s PostgreSQL and Patroni (its agent), wait until it leads, then stop "
                            + member + "'s PostgreSQL, start its Patroni and patronictl resume",
                    "to go on by hand: SELECT pg_wal_replay_resume() on " + member + ", start its Patroni, wait until it leads,"
                            + " patronictl resume, then start " + leader + "'s Patroni");
        }
        return List.of(leader + " still leads; " + member + " may be out of Patroni (stopped, or paused at xid "
                        + started.xid() + " in targeted recovery); the safety net is used up",
                "stop " + member + "'s PostgreSQL and start its Patroni (its agent), then patronictl resume: it streams again",
                "then POST /deployments/" + deployment + "/safety-net to hold a new net");
    }
}
