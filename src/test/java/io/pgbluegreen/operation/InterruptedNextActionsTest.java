package io.pgbluegreen.operation;

import io.pgbluegreen.mode.logical.LogicalMode;
import io.pgbluegreen.mode.physical.PhysicalMode;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.cutover.SwitchConnectionsStep;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalConfig;
import io.pgbluegreen.mode.physical.PromoteStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review of the reshape (issue 8, "behaviour unchanged"): the next actions GET /operations/{id} gives for a cutover
 * the daemon found cut off past its point of no return are what fd6d16b gave. fd6d16b said "green may have been
 * promoted: check pg_is_in_recovery() on green before anything else" when promote had started, and nothing of the
 * kind for a logical cutover; the reshape rewords the first and adds a line to the second (and CrashRecoveryIT's
 * assertion was edited to the new words in 3b63725).
 */
class InterruptedNextActionsTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();

    @TempDir
    Path dir;

    @Test
    void physicalCutOffAfterPromoteStartedSaysWhatItSaidBefore() {
        Journal journal = journalOf(new Entries("upgrade").started("c1", OperationKind.CUTOVER)
                .stepStarted("c1", FenceBlueStep.NAME)
                .data("c1", FenceBlueStep.NAME, new Fence(List.of("app"), "").fact())
                .step("c1", FenceBlueStep.NAME)
                .stepStarted("c1", PromoteStep.NAME));
        OperationView view = single(JournalRecovery.recover(journal, d -> new PhysicalMode()).interruptedNow()).view();
        assertEquals(List.of("green may have been promoted: check pg_is_in_recovery() on green before anything else",
                "POST /deployments/upgrade/rollback to give writes back to blue (refused if green took writes)",
                "or run the cutover again once the gate passes"), view.nextActions());
    }

    @Test
    void logicalCutOffAfterSwitchConnectionsStartedSaysWhatItSaidBefore() {
        Journal journal = journalOf(new Entries("upgrade").started("c1", OperationKind.CUTOVER)
                .stepStarted("c1", FenceBlueStep.NAME)
                .data("c1", FenceBlueStep.NAME, new Fence(List.of("app"), "").fact())
                .step("c1", FenceBlueStep.NAME)
                .stepStarted("c1", SwitchConnectionsStep.NAME));
        OperationView view = single(JournalRecovery.recover(journal, d -> new LogicalMode()).interruptedNow()).view();
        assertEquals(List.of("POST /deployments/upgrade/rollback to give writes back to blue (refused if green took writes)",
                "or run the cutover again once the gate passes"), view.nextActions());
    }

    private Journal journalOf(Entries entries) {
        Journal journal = new Journal(new JournalConfig(dir.resolve("journal.jsonl").toString()), JSON);
        entries.list().forEach(journal::append);
        return journal;
    }

    private static <T> T single(List<T> list) {
        assertEquals(1, list.size(), list.toString());
        return list.get(0);
    }
}
