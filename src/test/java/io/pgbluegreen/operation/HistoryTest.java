package io.pgbluegreen.operation;

import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.cutover.PostChecksStep;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.mode.logical.PrepareMarkerStep;
import io.pgbluegreen.mode.logical.ReverseCatchUpStep;
import io.pgbluegreen.mode.logical.SetUpReverseStep;
import io.pgbluegreen.mode.logical.StopReverseStep;
import io.pgbluegreen.mode.logical.StopSubscriptionStep;
import io.pgbluegreen.mode.physical.PromoteStep;
import io.pgbluegreen.rollback.AuditGreenStep;
import io.pgbluegreen.rollback.FenceGreenStep;
import io.pgbluegreen.rollback.UnfenceBlueStep;
import io.pgbluegreen.rollback.UnfenceGreenStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link History} from hand-built journal entries: no server, no daemon. */
class HistoryTest {
    private static final String DEPLOYMENT = "upgrade";
    private static final Fence BLUE_FENCE = new Fence(List.of("app", "a,b", "say \"hi\""), "");
    private static final Fence GREEN_FENCE = new Fence(List.of("app"), "off");

    @Test
    void noCutoverNoHistory() {
        Entries journal = new Entries(DEPLOYMENT).started("r1", OperationKind.ROLLBACK);
        assertNull(History.latestCutover(journal.list(), DEPLOYMENT));
    }

    @Test
    void aFenceIsReadAndAnAbortUndoesIt() {
        Entries journal = fencedCutover("c1");
        History fenced = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals(BLUE_FENCE, fenced.fence());
        assertTrue(fenced.blueFenced());
        assertEquals(Set.of(AcquireLockStep.NAME, FenceBlueStep.NAME), fenced.stepsStarted());
        assertEquals(Set.of(AcquireLockStep.NAME), fenced.stepsFinished(), "fence_blue never finished");
        assertNull(fenced.finalState());

        journal.fenceUndone("c1", FenceBlueStep.NAME).finished("c1", OperationState.ABORTED);
        History aborted = History.latestCutover(journal.list(), DEPLOYMENT);
        assertFalse(aborted.blueFenced());
        assertTrue(aborted.fenceUndone());
        assertEquals("aborted", aborted.finalState());
    }

    @Test
    void theBaselineIsTakenAtTheEndOfItsStepWithWhatRanThen() {
        Entries journal = fencedCutover("c1").step("c1", PromoteStep.NAME, new StepFact.GreenBaselineTaken(812, List.of(809L, 811L)));
        History history = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals(812L, history.greenBaseline());
        assertEquals(List.of(809L, 811L), history.greenBaselineRunning());
        assertTrue(history.stepsFinished().contains(PromoteStep.NAME));
    }

    @Test
    void theLatestCutoverOfTheDeploymentCountsOnly() {
        Entries journal = fencedCutover("c1");
        journal.fenceUndone("c1", FenceBlueStep.NAME).finished("c1", OperationState.ABORTED);
        journal.started("c2", OperationKind.CUTOVER).step("c2", AcquireLockStep.NAME);
        Entries other = new Entries("other").started("x1", OperationKind.CUTOVER);
        List<io.pgbluegreen.journal.JournalEntry> both = new java.util.ArrayList<>(journal.list());
        both.addAll(other.list());
        History history = History.latestCutover(both, DEPLOYMENT);
        assertEquals("c2", history.operationId());
        assertNull(history.fence(), "c1's fence is not c2's");
        assertEquals(Set.of(AcquireLockStep.NAME), history.stepsFinished());
    }

    @Test
    void theSubscriptionsCommitSettingIsLeftChangedUntilStopSubscriptionFinishes() {
        Entries journal = fencedCutover("c1").data("c1", PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced("off"));
        History cutOff = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals("off", cutOff.previousSynchronousCommit());
        assertTrue(cutOff.subscriptionCommitLeftChanged());

        journal.step("c1", StopSubscriptionStep.NAME, new StepFact.GreenBaselineTaken(40, List.of()),
                new StepFact.SynchronousCommitRestored());
        assertFalse(History.latestCutover(journal.list(), DEPLOYMENT).subscriptionCommitLeftChanged());
    }

    @Test
    void anAbortSetsTheCommitSettingBackToo() {
        Entries journal = fencedCutover("c1").data("c1", PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced(""));
        journal.fenceUndone("c1", FenceBlueStep.NAME).finished("c1", OperationState.ABORTED);
        assertFalse(History.latestCutover(journal.list(), DEPLOYMENT).subscriptionCommitLeftChanged());
    }

    @Test
    void reverseReplicationIsUsableUntilARollbackDropsIt() {
        Entries journal = logicalCutoverDone("c1");
        History done = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals("pgbg_reverse_upgrade", done.reverseSubscription());
        assertTrue(done.reverseUsable());
        assertFalse(done.reverseCaughtUp());

        journal.started("r1", OperationKind.ROLLBACK)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(FenceGreenStep.NAME, ReverseCatchUpStep.NAME)))
                .step("r1", FenceGreenStep.NAME)
                .stepStarted("r1", ReverseCatchUpStep.NAME)
                .data("r1", ReverseCatchUpStep.NAME, new StepFact.GreenBaselineTaken(950, List.of()))
                .add("r1", io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, ReverseCatchUpStep.NAME, "succeeded", "caught up",
                        List.of(new StepFact.ReverseCaughtUp()));
        History caughtUp = History.latestCutover(journal.list(), DEPLOYMENT);
        assertTrue(caughtUp.reverseCaughtUp());
        assertEquals(950L, caughtUp.greenBaseline(), "the baseline moved: blue has green's writes up to here");
        assertTrue(caughtUp.reverseUsable());

        journal.step("r1", StopReverseStep.NAME, new StepFact.ReverseDropped());
        assertFalse(History.latestCutover(journal.list(), DEPLOYMENT).reverseUsable());
    }

    @Test
    void aRollbacksProgressItsFenceOnGreenAndItsOwnWrites() {
        Entries journal = physicalCutoverDone("c1");
        journal.started("r1", OperationKind.ROLLBACK)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME)))
                .stepStarted("r1", FenceGreenStep.NAME)
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact())
                .data("r1", FenceGreenStep.NAME, new StepFact.OwnGreenXid(901))
                .add("r1", io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, FenceGreenStep.NAME, "succeeded", "fenced", null)
                .step("r1", AuditGreenStep.NAME)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME,
                        UnfenceBlueStep.NAME, PostChecksStep.NAME)));
        History history = History.latestCutover(journal.list(), DEPLOYMENT);
        History.RollbackProgress rollback = history.lastRollback();
        assertEquals("r1", rollback.operationId());
        assertEquals(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME, UnfenceBlueStep.NAME, PostChecksStep.NAME),
                rollback.plan(), "the plan as last journaled");
        assertEquals(Set.of(FenceGreenStep.NAME, AuditGreenStep.NAME), rollback.finished());
        assertTrue(rollback.unfinished());
        assertNull(rollback.finalState());
        assertEquals(GREEN_FENCE, history.openGreenFence());
        assertEquals(Set.of(901L), history.ownGreenXids());
        assertTrue(history.blueFenced(), "the cutover's fence on blue is still there");

        journal.step("r1", UnfenceBlueStep.NAME).fenceUndone("r1", FenceBlueStep.NAME);
        History unfenced = History.latestCutover(journal.list(), DEPLOYMENT);
        assertFalse(unfenced.blueFenced());
        assertEquals(GREEN_FENCE, unfenced.openGreenFence(), "green's fence is a fence of its own");
        journal.step("r1", PostChecksStep.NAME).finished("r1", OperationState.SUCCEEDED);
        assertFalse(History.latestCutover(journal.list(), DEPLOYMENT).lastRollback().unfinished());
    }

    @Test
    void aRefusedRollbackGivesGreenItsFenceBack() {
        Entries journal = physicalCutoverDone("c1");
        journal.started("r1", OperationKind.ROLLBACK)
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact())
                .data("r1", UnfenceGreenStep.NAME, new StepFact.OwnGreenXid(930))
                .fenceUndone("r1", FenceGreenStep.NAME)
                .finished("r1", OperationState.ABORTED);
        History history = History.latestCutover(journal.list(), DEPLOYMENT);
        assertNull(history.openGreenFence());
        assertEquals(GREEN_FENCE, history.lastGreenFence());
        assertTrue(history.greenFenceUndone());
        assertTrue(history.blueFenced(), "green's undo is not blue's");
        assertEquals(Set.of(930L), history.ownGreenXids());
    }

    @Test
    void aContinuedRollbackStartsItsOwnProgressButKeepsWhatEarlierOnesDid() {
        Entries journal = physicalCutoverDone("c1");
        journal.started("r1", OperationKind.ROLLBACK)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(FenceGreenStep.NAME, UnfenceBlueStep.NAME)))
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact(), new StepFact.OwnGreenXid(901))
                .step("r1", FenceGreenStep.NAME)
                .step("r1", UnfenceBlueStep.NAME).fenceUndone("r1", FenceBlueStep.NAME)
                .add("r1", io.pgbluegreen.journal.JournalEvent.OPERATION_INTERRUPTED, null, "interrupted", "cut off", null);
        History first = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals("interrupted", first.lastRollback().finalState());
        assertTrue(first.lastRollback().unfinished());

        journal.started("r2", OperationKind.ROLLBACK);
        History second = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals("r2", second.lastRollback().operationId());
        assertEquals(List.of(), second.lastRollback().plan());
        assertEquals(Set.of(), second.lastRollback().finished());
        assertEquals(GREEN_FENCE, second.openGreenFence(), "r1's fence on green is still there");
        assertEquals(Set.of(901L), second.ownGreenXids());
        assertFalse(second.blueFenced());
    }

    @Test
    void journalsOfEarlierVersionsReadTheSame() {
        Entries typed = logicalCutoverDone("c1");
        typed.started("r1", OperationKind.ROLLBACK)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(FenceGreenStep.NAME, ReverseCatchUpStep.NAME, StopReverseStep.NAME)))
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact())
                .data("r1", FenceGreenStep.NAME, new StepFact.OwnGreenXid(901))
                .step("r1", FenceGreenStep.NAME)
                .data("r1", ReverseCatchUpStep.NAME, new StepFact.GreenBaselineTaken(950, List.of()))
                .step("r1", ReverseCatchUpStep.NAME, new StepFact.ReverseCaughtUp())
                .step("r1", StopReverseStep.NAME, new StepFact.ReverseDropped());

        Entries earlier = new Entries(DEPLOYMENT).started("c1", OperationKind.CUTOVER).step("c1", AcquireLockStep.NAME)
                .stepStarted("c1", FenceBlueStep.NAME)
                .earlierData("c1", FenceBlueStep.NAME, Map.of("fence.blocked_roles", "\"app\",\"a,b\",\"say \"\"hi\"\"\"",
                        "fence.previous_read_only", ""))
                .add("c1", io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, FenceBlueStep.NAME, "succeeded", "done", null)
                .earlierData("c1", PrepareMarkerStep.NAME, Map.of("subscription.synchronous_commit", "off"))
                .stepStarted("c1", StopSubscriptionStep.NAME);
        List<io.pgbluegreen.journal.JournalEntry> old = new java.util.ArrayList<>(earlier.list());
        old.add(new io.pgbluegreen.journal.JournalEntry("c1", DEPLOYMENT, io.pgbluegreen.journal.JournalEvent.STEP_FINISHED,
                StopSubscriptionStep.NAME, "succeeded", "done", java.time.Instant.parse("2026-11-22T03:42:00Z"), null,
                Map.of("green_baseline_xid", "500", "green_baseline_running", "498,499")));
        Entries rest = new Entries(DEPLOYMENT).stepStarted("c1", SetUpReverseStep.NAME)
                .earlierData("c1", SetUpReverseStep.NAME, Map.of("reverse.subscription", "pgbg_reverse_upgrade"))
                .add("c1", io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, SetUpReverseStep.NAME, "succeeded", "done", null)
                .finished("c1", OperationState.SUCCEEDED)
                .started("r1", OperationKind.ROLLBACK)
                .earlierData("r1", "plan", Map.of("rollback.plan", String.join(",", FenceGreenStep.NAME, ReverseCatchUpStep.NAME, StopReverseStep.NAME)))
                .earlierData("r1", FenceGreenStep.NAME, Map.of("fence.roles", "app", "fence.previous_read_only", "off"))
                .earlierData("r1", FenceGreenStep.NAME, Map.of("green_own_xid", "901"))
                .step("r1", FenceGreenStep.NAME)
                .earlierData("r1", ReverseCatchUpStep.NAME, Map.of("green_baseline_xid", "950", "green_baseline_running", ""))
                .step("r1", ReverseCatchUpStep.NAME)
                .step("r1", StopReverseStep.NAME);
        old.addAll(rest.list());

        History fromTyped = History.latestCutover(typed.list(), DEPLOYMENT);
        History fromEarlier = History.latestCutover(old, DEPLOYMENT);
        assertEquals(BLUE_FENCE, fromEarlier.fence());
        assertEquals(GREEN_FENCE, fromEarlier.lastGreenFence());
        assertEquals(fromTyped, fromEarlier);
    }

    @Test
    void theOldestJournalsBaselineIsGreensNextXid() {
        Entries journal = fencedCutover("c1").earlierData("c1", PostChecksStep.NAME, Map.of("green_next_xid", "77"));
        History history = History.latestCutover(journal.list(), DEPLOYMENT);
        assertEquals(77L, history.greenBaseline());
        assertEquals(List.of(), history.greenBaselineRunning());
    }

    private static Entries fencedCutover(String op) {
        return new Entries(DEPLOYMENT).started(op, OperationKind.CUTOVER).step(op, AcquireLockStep.NAME)
                .stepStarted(op, FenceBlueStep.NAME).data(op, FenceBlueStep.NAME, BLUE_FENCE.fact());
    }

    private static Entries physicalCutoverDone(String op) {
        Entries journal = fencedCutover(op);
        return journal.add(op, io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, FenceBlueStep.NAME, "succeeded", "fenced", null)
                .step(op, PromoteStep.NAME, new StepFact.GreenBaselineTaken(812, List.of()))
                .step(op, PostChecksStep.NAME)
                .finished(op, OperationState.SUCCEEDED);
    }

    /** A logical cutover as the typed journal has it, matching the earlier-format one in journalsOfEarlierVersionsReadTheSame. */
    private static Entries logicalCutoverDone(String op) {
        return fencedCutover(op)
                .add(op, io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, FenceBlueStep.NAME, "succeeded", "done", null)
                .data(op, PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced("off"))
                .step(op, StopSubscriptionStep.NAME, new StepFact.GreenBaselineTaken(500, List.of(498L, 499L)),
                        new StepFact.SynchronousCommitRestored())
                .stepStarted(op, SetUpReverseStep.NAME)
                .data(op, SetUpReverseStep.NAME, new StepFact.ReverseSetUp("pgbg_reverse_upgrade"))
                .add(op, io.pgbluegreen.journal.JournalEvent.STEP_FINISHED, SetUpReverseStep.NAME, "succeeded", "done", null)
                .finished(op, OperationState.SUCCEEDED);
    }
}
