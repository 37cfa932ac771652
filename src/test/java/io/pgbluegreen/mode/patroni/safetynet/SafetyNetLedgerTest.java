package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Lsn;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal read back at every point a hold or release can stop, and the WAL-available rule. */
class SafetyNetLedgerTest {
    private static final StepFact.SafetyNetTarget TARGET = new StepFact.SafetyNetTarget("demo", "node2", "127.0.0.1", 5433);
    private static final StepFact.SafetyNetHeld HELD = new StepFact.SafetyNetHeld("demo", "node2", "127.0.0.1", 5433,
            "node1", 750, "0/3000100", "0/3000200", "pgbg-safety-net-net-750", "0/3000300", 1, "0/3000000",
            Instant.parse("2026-11-30T00:00:00Z"), true);

    private final List<JournalEntry> entries = new ArrayList<>();

    private void line(String id, JournalEvent event, String step, String state, String detail, StepFact... facts) {
        entries.add(new JournalEntry(id, "net", event, step, state, detail, Instant.now(), facts.length == 0 ? null : List.of(facts)));
    }

    private void holdUpTo(String id, int steps) {
        line(id, JournalEvent.SAFETY_NET_STARTED, null, null, "hold");
        if (steps >= 1) {
            line(id, JournalEvent.STEP_STARTED, "enter_maintenance", "running", null, TARGET, new StepFact.SafetyNetMaintenance(true));
        }
        if (steps >= 2) {
            line(id, JournalEvent.STEP_FINISHED, "enter_maintenance", "succeeded", null);
            line(id, JournalEvent.STEP_STARTED, "pause_replay", "running", null, new StepFact.SafetyNetReplayPaused("node2", ""));
        }
        if (steps >= 3) {
            line(id, JournalEvent.SAFETY_NET_ENDED, null, "held", "held", HELD);
        }
    }

    @Test
    void aTaggedHoldIsHeldTaggedAndAHoldCutOffWhileTaggingLeavesTheTags() {
        line("h1", JournalEvent.SAFETY_NET_STARTED, null, null, "hold");
        line("h1", JournalEvent.STEP_STARTED, "enter_maintenance", "running", null, TARGET, new StepFact.SafetyNetMaintenance(true));
        line("h1", JournalEvent.STEP_FINISHED, "enter_maintenance", "succeeded", null);
        line("h1", JournalEvent.STEP_STARTED, "exclude_member", "running", null, new StepFact.SafetyNetTags("node2", true));
        SafetyNetRecord.Leftover cutOff = SafetyNetLedger.read(entries, "net").leftover();
        assertTrue(cutOff.tagsMayBeSet() && cutOff.maintenanceMayBeOurs() && !cutOff.replayMayBePaused());
        assertTrue(cutOff.detail().contains("the exclusion tags on node2"), cutOff.detail());
        line("h1", JournalEvent.STEP_FINISHED, "exclude_member", "succeeded", null);
        line("h1", JournalEvent.SAFETY_NET_ENDED, null, "held", "held", HELD);
        assertTrue(SafetyNetLedger.read(entries, "net").held().tagged());
    }

    @Test
    void aRollbackConsumesTheNetFromItsFirstLineAndANewHoldClearsThat() {
        holdUpTo("h1", 3);
        entries.add(new JournalEntry("op-1", "net", JournalEvent.STEP_DATA, "plan", null, null, Instant.now(),
                List.of(new StepFact.SafetyNetRollbackStarted("h1", "demo", "node2", "node1", 750, true))));
        SafetyNetRecord consumed = SafetyNetLedger.read(entries, "net");
        assertNull(consumed.held());
        assertNull(consumed.leftover(), "nothing for a DELETE to clean: the rollback owns the member now");
        assertEquals("op-1", consumed.consumed().operationId());
        assertEquals("h1", consumed.consumed().holdId());
        // a rollback line naming another hold consumes nothing
        holdUpTo("h2", 3);
        entries.add(new JournalEntry("op-2", "net", JournalEvent.STEP_DATA, "plan", null, null, Instant.now(),
                List.of(new StepFact.SafetyNetRollbackStarted("h1", "demo", "node2", "node1", 750, true))));
        SafetyNetRecord again = SafetyNetLedger.read(entries, "net");
        assertEquals("h2", again.held().id());
        assertNull(again.consumed());
    }

    @Test
    void nothingJournaledIsNothingHeld() {
        assertEquals(SafetyNetRecord.NONE, SafetyNetLedger.read(entries, "net"));
    }

    @Test
    void aHeldNetIsKnownWithItsFactsAndOnlyForItsDeployment() {
        holdUpTo("h1", 3);
        SafetyNetRecord record = SafetyNetLedger.read(entries, "net");
        assertEquals("h1", record.held().id());
        assertEquals(HELD, record.held().net());
        assertNull(record.leftover());
        assertEquals(SafetyNetRecord.NONE, SafetyNetLedger.read(entries, "other"));
    }

    @Test
    void aHoldCutOffAfterEnteringMaintenanceLeavesMaintenanceToCleanUp() {
        holdUpTo("h1", 1);
        SafetyNetRecord record = SafetyNetLedger.read(entries, "net");
        assertNull(record.held());
        assertTrue(record.leftover().maintenanceMayBeOurs());
        assertFalse(record.leftover().replayMayBePaused());
        assertTrue(record.leftover().detail().contains("cut off"), record.leftover().detail());
    }

    @Test
    void aHoldCutOffWhilePausingLeavesBoth() {
        holdUpTo("h1", 2);
        SafetyNetRecord.Leftover left = SafetyNetLedger.read(entries, "net").leftover();
        assertTrue(left.maintenanceMayBeOurs() && left.replayMayBePaused());
        assertEquals("node2", left.member());
        assertEquals(5433, left.port());
    }

    @Test
    void anUndoneHoldLeavesNothing() {
        holdUpTo("h1", 2);
        line("h1", JournalEvent.STEP_FINISHED, "resume_replay", "succeeded", null, new StepFact.SafetyNetReplayResumed("node2"));
        line("h1", JournalEvent.STEP_FINISHED, "leave_maintenance", "succeeded", null, new StepFact.SafetyNetMaintenanceLeft());
        line("h1", JournalEvent.SAFETY_NET_ENDED, null, "undone", "undone");
        assertEquals(SafetyNetRecord.NONE, SafetyNetLedger.read(entries, "net"));
    }

    @Test
    void aHoldWhoseUndoFailedLeavesWhatItCouldNotUndo() {
        holdUpTo("h1", 2);
        line("h1", JournalEvent.STEP_FINISHED, "resume_replay", "succeeded", null, new StepFact.SafetyNetReplayResumed("node2"));
        line("h1", JournalEvent.SAFETY_NET_ENDED, null, "failed", "leave_maintenance failed");
        SafetyNetRecord.Leftover left = SafetyNetLedger.read(entries, "net").leftover();
        assertTrue(left.maintenanceMayBeOurs());
        assertFalse(left.replayMayBePaused());
    }

    @Test
    void aReleaseEndsTheNet() {
        holdUpTo("h1", 3);
        line("r1", JournalEvent.SAFETY_NET_STARTED, null, null, "release");
        line("r1", JournalEvent.STEP_FINISHED, "resume_replay", "succeeded", null, new StepFact.SafetyNetReplayResumed("node2"));
        line("r1", JournalEvent.STEP_FINISHED, "leave_maintenance", "succeeded", null, new StepFact.SafetyNetMaintenanceLeft());
        line("r1", JournalEvent.SAFETY_NET_ENDED, null, "released", "released", new StepFact.SafetyNetReleased("h1", true, "0/4000000"));
        assertEquals(SafetyNetRecord.NONE, SafetyNetLedger.read(entries, "net"));
    }

    @Test
    void aReleaseCutOffBeforeResumingKeepsTheNetHeld() {
        holdUpTo("h1", 3);
        line("r1", JournalEvent.SAFETY_NET_STARTED, null, null, "release");
        line("r1", JournalEvent.STEP_STARTED, "resume_replay", "running", null);
        SafetyNetRecord record = SafetyNetLedger.read(entries, "net");
        assertNotNull(record.held());
        assertNull(record.leftover());
    }

    @Test
    void aReleaseCutOffAfterResumingLeavesOnlyTheMaintenanceModeItEntered() {
        holdUpTo("h1", 3);
        line("r1", JournalEvent.SAFETY_NET_STARTED, null, null, "release");
        line("r1", JournalEvent.STEP_FINISHED, "resume_replay", "succeeded", null, new StepFact.SafetyNetReplayResumed("node2"));
        SafetyNetRecord record = SafetyNetLedger.read(entries, "net");
        assertNull(record.held());
        assertTrue(record.leftover().maintenanceMayBeOurs());
        assertFalse(record.leftover().replayMayBePaused());
    }

    @Test
    void walIsAvailableWhileReplayHasNotPassedTheMarkerAndTheWalIsReceivedOrKept() {
        Lsn before = Lsn.parse("0/3000100");
        Lsn after = Lsn.parse("0/3000200");
        // received past the marker's commit
        assertTrue(WalAvailability.available(before, after, Lsn.parse("0/3000000"), Lsn.parse("0/3000200"), null, null));
        // not received yet, but the leader's slot keeps it
        assertTrue(WalAvailability.available(before, after, Lsn.parse("0/3000000"), Lsn.parse("0/3000080"),
                Lsn.parse("0/3000080"), "reserved"));
        assertFalse(WalAvailability.available(before, after, Lsn.parse("0/3000000"), Lsn.parse("0/3000080"),
                Lsn.parse("0/3000080"), "lost"));
        assertFalse(WalAvailability.available(before, after, Lsn.parse("0/3000000"), Lsn.parse("0/3000080"),
                Lsn.parse("0/3000080"), "unreserved"));
        assertFalse(WalAvailability.available(before, after, Lsn.parse("0/3000000"), Lsn.parse("0/3000080"), null, null));
        // replayed past the marker's start: too late
        assertFalse(WalAvailability.available(before, after, Lsn.parse("0/3000101"), Lsn.parse("0/4000000"), null, null));
        // unknown replay position: not available
        assertFalse(WalAvailability.available(before, after, null, Lsn.parse("0/4000000"), null, null));
    }

    @Test
    void slotNamesFollowPatroni() {
        assertEquals("node2", LeaderState.slotName("node2"));
        assertEquals("db_1_example_com", LeaderState.slotName("DB-1.example.com"));
        assertEquals("au0064b", LeaderState.slotName("a@b"));
    }

    @Test
    void restorePointNamesFitPostgres() {
        assertEquals("pgbg-safety-net-net-750", Marker.restorePointName("net", 750));
        assertTrue(Marker.restorePointName("x".repeat(100), 12345678901L).length() <= 63);
        assertTrue(Marker.restorePointName("x".repeat(100), 12345678901L).endsWith("-12345678901"));
    }

    @Test
    void memberUrlsKeepDatabaseAndParameters() {
        assertEquals("jdbc:postgresql://10.0.0.2:5433/app?sslmode=require",
                MemberConnections.withHostPort("jdbc:postgresql://10.0.0.1:5432/app?sslmode=require", "10.0.0.2", 5433));
        assertEquals("jdbc:postgresql://127.0.0.1:6000", MemberConnections.withHostPort("jdbc:postgresql://db", "127.0.0.1", 6000));
        assertTrue(io.pgbluegreen.config.JdbcAddress.sameHost("localhost", "127.0.0.1"));
    }
}
