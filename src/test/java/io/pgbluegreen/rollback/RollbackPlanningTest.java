package io.pgbluegreen.rollback;

import io.pgbluegreen.cutover.PausePgBouncerStep;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.cutover.PostChecksStep;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.fence.XidAudit;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.mode.logical.LogicalMode;
import io.pgbluegreen.mode.logical.PrepareMarkerStep;
import io.pgbluegreen.mode.logical.RestoreSubscriptionCommitStep;
import io.pgbluegreen.mode.logical.ResumeSubscriptionStep;
import io.pgbluegreen.mode.logical.ReverseCatchUpStep;
import io.pgbluegreen.mode.logical.SetUpReverseStep;
import io.pgbluegreen.mode.logical.StopReverseStep;
import io.pgbluegreen.mode.logical.StopSubscriptionStep;
import io.pgbluegreen.mode.logical.SyncSequencesStep;
import io.pgbluegreen.mode.physical.PhysicalMode;
import io.pgbluegreen.operation.Entries;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.OperationKind;
import io.pgbluegreen.operation.OperationState;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Step;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback planning for each mode at each point a cutover (or an earlier rollback) can be cut off at, from
 * hand-built journal entries and canned server answers: no server.
 */
class RollbackPlanningTest {
    private static final String NAME = "upgrade";
    private static final Fence BLUE_FENCE = new Fence(List.of("app"), "");
    private static final Fence GREEN_FENCE = new Fence(List.of("app"), "");
    private static final String REVERSE = "pgbg_reverse_upgrade";
    private static final PhysicalMode PHYSICAL = new PhysicalMode();
    private static final LogicalMode LOGICAL = new LogicalMode();

    /** Canned answers: green's writes since the baseline, its recovery, its subscription, the reverse path. */
    private static final class Reads implements RollbackReads {
        long writes;
        boolean inRecovery = true;
        Boolean subscriptionEnabled = true;
        String reverseProblem;

        @Override
        public XidAudit.Finding greenWritesSince(History history) {
            return new XidAudit.Finding(writes, writes + " unexplained transaction(s)");
        }

        @Override
        public boolean greenInRecovery() {
            return inRecovery;
        }

        @Override
        public boolean blueInRecovery() {
            return false;
        }

        @Override
        public Boolean subscriptionEnabled(String subscription) {
            return subscriptionEnabled;
        }

        @Override
        public String reversePathProblem(String reverseSubscription) {
            return reverseProblem;
        }
    }

    private final Reads reads = new Reads();

    // ---- physical

    @Test
    void nothingInTheJournalNothingToDo() throws SQLException {
        assertRefused(Refusal.Cause.NOTHING_TO_DO, "no cutover of upgrade", physical(false).plan(null));
    }

    @Test
    void physicalCutOffBeforeTheFence() throws SQLException {
        Entries journal = cutover("c1").stepStarted("c1", FenceBlueStep.NAME);
        assertRefused(Refusal.Cause.NOTHING_TO_DO, "blue is not fenced", physical(false).plan(history(journal)));
        assertSteps(List.of(PointPgBouncerAtBlueStep.NAME), physical(true).plan(history(journal)));
    }

    @Test
    void physicalFencedBeforeThePointOfNoReturnUnfencesBlue() throws SQLException {
        Entries journal = fenced(cutover("c1"));
        assertSteps(List.of(UnfenceBlueStep.NAME), physical(false).plan(history(journal)));
        assertSteps(List.of(UnfenceBlueStep.NAME, PointPgBouncerAtBlueStep.NAME), physical(true).plan(history(journal)));
    }

    @Test
    void physicalFencedButGreenPromotedByOtherHandsIsRefused() throws SQLException {
        reads.inRecovery = false;
        assertRefused(Refusal.Cause.UNSAFE, "green is not in recovery", physical(false).plan(history(fenced(cutover("c1")))));
    }

    @Test
    void physicalPastThePointOfNoReturnWithoutABaselineIsRefused() throws SQLException {
        Entries journal = fenced(cutover("c1")).stepStarted("c1", PHYSICAL.pointOfNoReturn());
        assertRefused(Refusal.Cause.UNSAFE, "did not record green's baseline", physical(false).plan(history(journal)));
    }

    @Test
    void physicalCleanGreenIsFencedAuditedThenBlueUnfenced() throws SQLException {
        History history = history(physicalDone("c1"));
        assertSteps(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME), physical(false).plan(history));
        assertSteps(List.of(PausePgBouncerStep.NAME, FenceGreenStep.NAME, AuditGreenStep.NAME), physical(true).plan(history));
        assertSteps(List.of(UnfenceBlueStep.NAME), physical(false).afterAudit(history, false, GREEN_FENCE));
        assertSteps(List.of(UnfenceBlueStep.NAME, PointPgBouncerAtBlueStep.NAME), physical(true).afterAudit(history, false, GREEN_FENCE));
        assertRefused(Refusal.Cause.UNSAFE, "no reverse replication", physical(false).afterAudit(history, true, GREEN_FENCE));
    }

    @Test
    void physicalGreenThatWroteIsRefusedBeforeAnythingChanges() throws SQLException {
        reads.writes = 3;
        assertRefused(Refusal.Cause.UNSAFE, "green took writes since the cutover (3 unexplained",
                physical(false).plan(history(physicalDone("c1"))));
    }

    @Test
    void aRollbackCutOffAfterItUnfencedBlueIsCarriedOn() throws SQLException {
        Entries journal = physicalDone("c1").started("r1", OperationKind.ROLLBACK)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(PausePgBouncerStep.NAME, FenceGreenStep.NAME,
                        AuditGreenStep.NAME, UnfenceBlueStep.NAME, PointPgBouncerAtBlueStep.NAME)))
                .step("r1", PausePgBouncerStep.NAME)
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact())
                .step("r1", FenceGreenStep.NAME)
                .step("r1", AuditGreenStep.NAME)
                .step("r1", UnfenceBlueStep.NAME).fenceUndone("r1", FenceBlueStep.NAME)
                .add("r1", JournalEvent.OPERATION_INTERRUPTED, null, "interrupted", "cut off", null);
        RollbackPlan plan = physical(true).plan(history(journal));
        assertSteps(List.of(PointPgBouncerAtBlueStep.NAME), plan);
        assertTrue(plan.summary().startsWith("rollback r1 carried on"), plan.summary());
    }

    @Test
    void aCarriedOnRollbackWithAStepItCannotRebuildIsRefused() throws SQLException {
        Entries journal = physicalDone("c1").started("r1", OperationKind.ROLLBACK)
                .data("r1", "plan", new StepFact.RollbackPlanned(List.of(UnfenceBlueStep.NAME, PostChecksStep.NAME)))
                .step("r1", UnfenceBlueStep.NAME).fenceUndone("r1", FenceBlueStep.NAME);
        assertRefused(Refusal.Cause.UNSAFE, "left step post_checks undone", physical(false).plan(history(journal)));
    }

    @Test
    void aRefusedRollbackLeavesBlueFencedAndIsPlannedAfresh() throws SQLException {
        Entries journal = physicalDone("c1").started("r1", OperationKind.ROLLBACK)
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact())
                .step("r1", FenceGreenStep.NAME).step("r1", AuditGreenStep.NAME)
                .fenceUndone("r1", FenceGreenStep.NAME).finished("r1", OperationState.ABORTED);
        assertSteps(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME), physical(false).plan(history(journal)));
    }

    // ---- logical

    @Test
    void logicalCutOffBeforeTheFenceGivesTheCommitSettingBack() throws SQLException {
        Entries journal = cutover("c1").data("c1", PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced("off"));
        RollbackPlan plan = logical(false).plan(history(journal));
        assertSteps(List.of(RestoreSubscriptionCommitStep.NAME), plan);
        assertTrue(plan.summary().contains("synchronous_commit is 'off' again"), plan.summary());
        assertRefused(Refusal.Cause.NOTHING_TO_DO, "blue is not fenced", logical(false).plan(history(cutover("c1"))));
    }

    @Test
    void logicalFencedBeforeThePointOfNoReturnGivesBackWhatTheCutoverChanged() throws SQLException {
        Entries journal = fenced(cutover("c1").data("c1", PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced("off")));
        assertSteps(List.of(RestoreSubscriptionCommitStep.NAME, UnfenceBlueStep.NAME), logical(false).plan(history(journal)));

        stopped(journal);
        assertSteps(List.of(StopReverseStep.NAME, ResumeSubscriptionStep.NAME, UnfenceBlueStep.NAME),
                logical(false).plan(history(journal)));
    }

    @Test
    void logicalFencedButSubscriptionDisabledByOtherHandsIsRefused() throws SQLException {
        reads.subscriptionEnabled = false;
        assertRefused(Refusal.Cause.UNSAFE, "disabled outside this cutover", logical(false).plan(history(fenced(cutover("c1")))));
        reads.subscriptionEnabled = null;
        assertRefused(Refusal.Cause.UNSAFE, "green has no subscription", logical(false).plan(history(fenced(cutover("c1")))));
    }

    @Test
    void logicalCleanGreenFollowsBlueAgain() throws SQLException {
        History history = history(logicalDone("c1"));
        assertSteps(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME), logical(false).plan(history));
        assertSteps(List.of(StopReverseStep.NAME, ResumeSubscriptionStep.NAME, UnfenceBlueStep.NAME, UnfenceGreenStep.NAME),
                logical(false).afterAudit(history, false, GREEN_FENCE));
    }

    @Test
    void logicalWritesGoBackThroughAUsableReversePath() throws SQLException {
        reads.writes = 2;
        History history = history(logicalDone("c1"));
        assertSteps(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME), logical(false).plan(history));
        assertSteps(List.of(ReverseCatchUpStep.NAME, SyncSequencesStep.BACK_NAME, StopReverseStep.NAME, UnfenceBlueStep.NAME),
                logical(false).afterAudit(history, true, GREEN_FENCE));
    }

    @Test
    void logicalWritesWithABrokenReversePathAreRefused() throws SQLException {
        reads.writes = 2;
        reads.reverseProblem = "blue's subscription is disabled";
        assertRefused(Refusal.Cause.UNSAFE, "which does not work: blue's subscription is disabled",
                logical(false).plan(history(logicalDone("c1"))));
    }

    @Test
    void logicalWritesWithoutReverseReplicationAreRefused() throws SQLException {
        reads.writes = 2;
        Entries journal = fenced(cutover("c1")).step("c1", StopSubscriptionStep.NAME,
                new StepFact.GreenBaselineTaken(500, List.of()), new StepFact.SynchronousCommitRestored());
        journal.step("c1", LOGICAL.pointOfNoReturn()).finished("c1", OperationState.SUCCEEDED);
        assertRefused(Refusal.Cause.UNSAFE, "no reverse replication is set up", logical(false).plan(history(journal)));
    }

    @Test
    void logicalWritesAfterAnEarlierRollbackDroppedTheReversePathAreRefused() throws SQLException {
        reads.writes = 2;
        Entries journal = logicalDone("c1").started("r1", OperationKind.ROLLBACK)
                .step("r1", StopReverseStep.NAME, new StepFact.ReverseDropped())
                .finished("r1", OperationState.FAILED);
        assertRefused(Refusal.Cause.UNSAFE, "already dropped the reverse replication", logical(false).plan(history(journal)));
    }

    @Test
    void logicalAfterAnEarlierRollbackCarriedGreensWritesTheSubscriptionDoesNotResume() throws SQLException {
        Entries journal = logicalDone("c1").started("r1", OperationKind.ROLLBACK)
                .data("r1", FenceGreenStep.NAME, GREEN_FENCE.fact())
                .step("r1", FenceGreenStep.NAME)
                .data("r1", ReverseCatchUpStep.NAME, new StepFact.GreenBaselineTaken(950, List.of()))
                .step("r1", ReverseCatchUpStep.NAME, new StepFact.ReverseCaughtUp())
                .stepFailed("r1", SyncSequencesStep.BACK_NAME)
                .finished("r1", OperationState.FAILED);
        History history = history(journal);
        assertEquals(950L, history.greenBaseline());
        assertEquals(GREEN_FENCE, history.openGreenFence());
        assertSteps(List.of(FenceGreenStep.NAME, AuditGreenStep.NAME), logical(false).plan(history));
        assertSteps(List.of(SyncSequencesStep.BACK_NAME, StopReverseStep.NAME, UnfenceBlueStep.NAME),
                logical(false).afterAudit(history, false, GREEN_FENCE));
    }

    // ---- journals

    private static Entries cutover(String op) {
        return new Entries(NAME).started(op, OperationKind.CUTOVER).step(op, AcquireLockStep.NAME);
    }

    private static Entries fenced(Entries journal) {
        return journal.stepStarted("c1", FenceBlueStep.NAME).data("c1", FenceBlueStep.NAME, BLUE_FENCE.fact())
                .add("c1", JournalEvent.STEP_FINISHED, FenceBlueStep.NAME, "succeeded", "fenced", null);
    }

    private static Entries physicalDone(String op) {
        return fenced(cutover(op)).step(op, PHYSICAL.pointOfNoReturn(), new StepFact.GreenBaselineTaken(812, List.of()))
                .step(op, PostChecksStep.NAME).finished(op, OperationState.SUCCEEDED);
    }

    /** stop_subscription and set_up_reverse done: green took over, blue can subscribe to it. */
    private static Entries stopped(Entries journal) {
        return journal.step("c1", StopSubscriptionStep.NAME, new StepFact.GreenBaselineTaken(500, List.of(499L)),
                        new StepFact.SynchronousCommitRestored())
                .stepStarted("c1", SetUpReverseStep.NAME).data("c1", SetUpReverseStep.NAME, new StepFact.ReverseSetUp(REVERSE))
                .add("c1", JournalEvent.STEP_FINISHED, SetUpReverseStep.NAME, "succeeded", "set up", null);
    }

    private static Entries logicalDone(String op) {
        return stopped(fenced(cutover(op).data(op, PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced("off"))))
                .step(op, LOGICAL.pointOfNoReturn()).step(op, PostChecksStep.NAME).finished(op, OperationState.SUCCEEDED);
    }

    private static History history(Entries journal) {
        return History.latestCutover(journal.list(), NAME);
    }

    // ---- planners and assertions

    private Rollback physical(boolean pgbouncer) {
        return new Rollback(deployment("physical"), PHYSICAL, reads, pgbouncer);
    }

    private Rollback logical(boolean pgbouncer) {
        return new Rollback(deployment("logical"), LOGICAL, reads, pgbouncer);
    }

    private static DeploymentConfig deployment(String mode) {
        return new DeploymentConfig(NAME, "blue", "green", mode, "upgrade_sub", "upgrade_slot", null, null,
                List.of("app"), null, true, null, null, null);
    }

    private static void assertSteps(List<String> expected, RollbackPlan plan) {
        assertNull(plan.refusal(), () -> "refused: " + plan.refusal());
        assertEquals(expected, plan.steps().stream().map(Step::name).toList());
    }

    private static void assertRefused(Refusal.Cause cause, String reasonPart, RollbackPlan plan) {
        assertTrue(plan.refusal() != null, () -> "planned: " + plan.steps().stream().map(Step::name).toList());
        assertEquals(cause, plan.refusal().cause(), plan.refusal().reason());
        assertTrue(plan.refusal().reason().contains(reasonPart), plan.refusal().reason());
    }
}
