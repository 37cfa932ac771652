package io.pgbluegreen.operation;

import io.pgbluegreen.mode.logical.LogicalMode;
import io.pgbluegreen.mode.physical.PhysicalMode;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalConfig;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.mode.logical.PrepareMarkerStep;
import io.pgbluegreen.mode.physical.PromoteStep;
import io.pgbluegreen.rollback.FenceGreenStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JournalRecovery} over a journal file written by hand: what a restarted daemon makes of cut-off operations. */
class JournalRecoveryTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final String DEPLOYMENT = "upgrade";

    @TempDir
    Path dir;

    @Test
    void aCutoverCutOffBeforeItsPointOfNoReturnIsInterruptedAndRolledBackByTheDaemon() {
        Journal journal = journalOf(new Entries(DEPLOYMENT).started("c1", OperationKind.CUTOVER)
                .step("c1", AcquireLockStep.NAME)
                .stepStarted("c1", FenceBlueStep.NAME)
                .data("c1", FenceBlueStep.NAME, new Fence(List.of("app", "a,b"), "").fact())
                .add("c1", JournalEvent.STEP_FINISHED, FenceBlueStep.NAME, "succeeded", "fenced", null));

        JournalRecovery.Recovered recovered = JournalRecovery.recover(journal, deployment -> new PhysicalMode());

        Operation op = single(recovered.interruptedNow());
        OperationView view = op.view();
        assertEquals("cutover", view.kind());
        assertEquals("interrupted", view.state());
        assertEquals("the daemon stopped while this cutover ran; last completed step: fence_blue; blue is fenced"
                + " (read-only, logins of [app, a,b] blocked)", view.detail());
        assertEquals(3, view.nextActions().size(), view.nextActions().toString());
        assertTrue(view.nextActions().get(0).startsWith("the point of no return (promote) was never started: the daemon"
                + " rolls this cutover back by itself"), view.nextActions().get(0));
        assertEquals(List.of("acquire_lock", "fence_blue"), view.steps().stream().map(StepView::name).toList());
        assertEquals(List.of("succeeded", "succeeded"), view.steps().stream().map(StepView::state).toList());
        assertEquals(JournalEvent.OPERATION_INTERRUPTED, last(journal).event(), "journaled, once");

        JournalRecovery.Recovered again = JournalRecovery.recover(journal, deployment -> new PhysicalMode());
        assertEquals(List.of(), again.interruptedNow());
        assertEquals("interrupted", single(again.operations()).view().state());
    }

    @Test
    void pastThePointOfNoReturnGreenIsToBeCheckedFirst() {
        Journal journal = journalOf(new Entries(DEPLOYMENT).started("c1", OperationKind.CUTOVER)
                .stepStarted("c1", FenceBlueStep.NAME)
                .data("c1", FenceBlueStep.NAME, new Fence(List.of("app"), "").fact())
                .add("c1", JournalEvent.STEP_FINISHED, FenceBlueStep.NAME, "succeeded", "fenced", null)
                .stepStarted("c1", PromoteStep.NAME));

        Operation op = single(JournalRecovery.recover(journal, deployment -> new PhysicalMode()).interruptedNow());
        assertEquals("running", op.view().steps().get(1).state());
        assertTrue(op.view().nextActions().get(0).startsWith("green may have been promoted: check pg_is_in_recovery() on green"),
                op.view().nextActions().toString());
        assertTrue(op.view().nextActions().get(1).startsWith("POST /deployments/upgrade/rollback"), op.view().nextActions().toString());
    }

    @Test
    void aLogicalCutoverCutOffWithTheCommitSettingChangedSaysSo() {
        Journal journal = journalOf(new Entries(DEPLOYMENT).started("c1", OperationKind.CUTOVER)
                .step("c1", PrepareMarkerStep.NAME)
                .data("c1", PrepareMarkerStep.NAME, new StepFact.SynchronousCommitReplaced("off")));
        OperationView view = single(JournalRecovery.recover(journal, deployment -> null).interruptedNow()).view();
        assertEquals("the daemon stopped while this cutover ran; last completed step: prepare_marker; green's subscription"
                + " still commits with synchronous_commit = on (was 'off')", view.detail());
        assertEquals(List.of("blue was not left fenced by this operation: check GET /deployments/upgrade/gate and retry",
                "POST /deployments/upgrade/rollback gives the subscription its synchronous_commit back"), view.nextActions());
    }

    @Test
    void aRollbackCutOffIsToBeCarriedOn() {
        Journal journal = journalOf(new Entries(DEPLOYMENT).started("c1", OperationKind.CUTOVER)
                .finished("c1", OperationState.SUCCEEDED)
                .started("r1", OperationKind.ROLLBACK)
                .stepStarted("r1", FenceGreenStep.NAME)
                .stepFailed("r1", FenceGreenStep.NAME));
        JournalRecovery.Recovered recovered = JournalRecovery.recover(journal, deployment -> new PhysicalMode());
        assertEquals(List.of("succeeded", "interrupted"), recovered.operations().stream().map(o -> o.view().state()).toList());
        OperationView view = single(recovered.interruptedNow()).view();
        assertEquals("rollback", view.kind());
        assertEquals("the daemon stopped while this rollback ran; last completed step: none", view.detail());
        assertEquals("failed", view.steps().get(0).state());
        assertTrue(view.nextActions().get(0).startsWith("POST /deployments/upgrade/rollback again"), view.nextActions().toString());
    }

    @Test
    void aTornLastLineIsNamedInTheInterruptedOperation() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Journal before = journalOf(new Entries(DEPLOYMENT).started("c1", OperationKind.CUTOVER).stepStarted("c1", AcquireLockStep.NAME));
        Files.writeString(file, "{\"operationId\":\"c1\",\"event\":\"step-fin", StandardOpenOption.APPEND);
        Journal after = open(file);
        OperationView view = single(JournalRecovery.recover(after, deployment -> new PhysicalMode()).interruptedNow()).view();
        assertEquals("the daemon stopped while this cutover ran; last completed step: none; the journal's line 3 was cut"
                + " short when the daemon stopped and is left out", view.detail());
        assertEquals(before.path(), after.path());
    }

    private Journal journalOf(Entries entries) {
        Journal journal = open(dir.resolve("journal.jsonl"));
        entries.list().forEach(journal::append);
        return journal;
    }

    private static Journal open(Path file) {
        return new Journal(new JournalConfig(file.toString()), JSON);
    }

    private static JournalEntry last(Journal journal) {
        List<JournalEntry> all = journal.readAll();
        return all.get(all.size() - 1);
    }

    private static <T> T single(List<T> list) {
        assertEquals(1, list.size(), list.toString());
        return list.get(0);
    }
}
