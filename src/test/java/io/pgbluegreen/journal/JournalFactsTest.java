package io.pgbluegreen.journal;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed facts through the journal file, and the string data of earlier versions read as the same facts. */
class JournalFactsTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final Instant AT = Instant.parse("2026-11-22T03:41:07Z");
    private static final List<StepFact> EVERY_KIND = List.of(
            new StepFact.FenceApplied(List.of("app", "a,b", "say \"hi\"", "", "x,\"y\",z"), "on"),
            new StepFact.FenceApplied(List.of(), ""),
            new StepFact.GreenBaselineTaken(812, List.of(809L, 811L)),
            new StepFact.GreenBaselineTaken(900, List.of()),
            new StepFact.OwnGreenXid(901),
            new StepFact.OwnBlueXid(733),
            new StepFact.RollbackPlanned(List.of("fence_green", "audit_green")),
            new StepFact.ReverseSetUp("pgbg_reverse_upgrade"),
            new StepFact.ReverseCaughtUp(),
            new StepFact.ReverseDropped(),
            new StepFact.SynchronousCommitReplaced("off"),
            new StepFact.SynchronousCommitReplaced(""),
            new StepFact.SynchronousCommitRestored(),
            new StepFact.BlueFinalPosition("0/3002D50", 733),
            new StepFact.PgBouncerPaused(),
            new StepFact.PgBouncerRepointed("upgrade = host=blue port=5432"),
            new StepFact.GreenAudited(true),
            new StepFact.ChecksOverridden(List.of("replay_not_paused", "lag")),
            new StepFact.SafetyNetTarget("demo", "node2", "127.0.0.1", 5433),
            new StepFact.SafetyNetMaintenance(true),
            new StepFact.SafetyNetReplayPaused("node2", ""),
            new StepFact.SafetyNetReplayPaused("node2", "0/3000000"),
            new StepFact.SafetyNetMarked(4_294_967_396L, "0/3000100", "0/3000200", "pgbg-safety-net-db-100", "0/3000300", 2),
            new StepFact.SafetyNetHeld("demo", "node2", "127.0.0.1", 5433, "node1", 750, "0/3000100", "0/3000200",
                    "pgbg-safety-net-db-750", "0/3000300", 1, "0/3000000", java.time.Instant.parse("2026-11-30T00:00:00.123Z"), true),
            new StepFact.SafetyNetReplayResumed("node2"),
            new StepFact.SafetyNetMaintenanceLeft(),
            new StepFact.SafetyNetReleased("safety-net-hold-1", false, ""));

    @TempDir
    Path dir;

    @Test
    void everyKindOfFactRoundTripsThroughTheFile() {
        Path file = dir.resolve("journal.jsonl");
        Journal journal = open(file);
        for (StepFact fact : EVERY_KIND) {
            journal.append(entry(JournalEvent.STEP_DATA, "some_step", List.of(fact)));
        }
        journal.append(entry(JournalEvent.STEP_FINISHED, "some_step", EVERY_KIND));
        List<JournalEntry> read = open(file).readAll();
        assertEquals(EVERY_KIND, read.subList(0, EVERY_KIND.size()).stream().map(e -> e.readFacts().get(0)).toList());
        assertEquals(EVERY_KIND, read.get(EVERY_KIND.size()).readFacts());
    }

    @Test
    void listsAreJsonArraysOnDisk() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        open(file).append(entry(JournalEvent.STEP_DATA, "fence_blue", List.of(
                new StepFact.FenceApplied(List.of("app", "a,b"), "on"), new StepFact.GreenBaselineTaken(5, List.of(3L, 4L)))));
        String line = Files.readAllLines(file).get(0);
        assertTrue(line.contains("\"event\":\"step-data\""), line);
        assertTrue(line.contains("\"kind\":\"fence\"") && line.contains("\"blockedRoles\":[\"app\",\"a,b\"]"), line);
        assertTrue(line.contains("\"kind\":\"green-baseline\"") && line.contains("\"running\":[3,4]"), line);
    }

    @Test
    void aTornLastLineAfterFactsIsReportedAndTheFactsBeforeItStay() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Journal before = open(file);
        before.append(entry(JournalEvent.STEP_DATA, "fence_blue", List.of(EVERY_KIND.get(0))));
        String torn = "{\"operationId\":\"op-1\",\"deployment\":\"upgrade\",\"event\":\"step-finished\",\"facts\":[{\"kind\":\"gre";
        Files.writeString(file, torn, StandardOpenOption.APPEND);

        Journal after = open(file);
        assertEquals(List.of(new Journal.TornLine(2, torn)), after.tornLines());
        assertEquals(List.of(List.of(EVERY_KIND.get(0))), after.readAll().stream().map(JournalEntry::readFacts).toList());
    }

    @Test
    void earlierVersionsStringDataReadsAsTheSameFacts() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        List<Map<String, String>> earlier = List.of(
                Map.of("fence.blocked_roles", "\"app\",\"a,b\",\"say \"\"hi\"\"\",\"\",\"x,\"\"y\"\",z\"", "fence.previous_read_only", "on"),
                Map.of("fence.roles", "app,billing", "fence.previous_read_only", "off"),
                Map.of("fence.roles", "", "fence.previous_read_only", ""),
                Map.of("green_baseline_xid", "812", "green_baseline_running", "809,811"),
                Map.of("green_baseline_xid", "900", "green_baseline_running", ""),
                Map.of("green_next_xid", "77"),
                Map.of("green_own_xid", "901"),
                Map.of("rollback.plan", "fence_green,audit_green"),
                Map.of("reverse.subscription", "pgbg_reverse_upgrade"),
                Map.of("subscription.synchronous_commit", "off"),
                Map.of("final_lsn", "0/3002D50", "blue_next_xid", "733", "blue_clock", "2026-11-29 23:12:57+00"),
                Map.of("checks", "replay_not_paused,lag"));
        StringBuilder lines = new StringBuilder();
        for (Map<String, String> data : earlier) {
            lines.append(JSON.writeValueAsString(Map.of("operationId", "op-1", "deployment", "upgrade", "event", "step-data",
                    "step", "some_step", "at", AT.toString(), "data", data))).append('\n');
        }
        lines.append("{\"operationId\":\"op-1\",\"deployment\":\"upgrade\",\"event\":\"step-finished\",\"step\":\"reverse_catch_up\","
                + "\"state\":\"succeeded\",\"at\":\"2026-11-22T03:41:08Z\"}\n");
        Files.writeString(file, lines);

        List<List<StepFact>> read = open(file).readAll().stream().map(JournalEntry::readFacts).toList();
        assertEquals(List.of(
                List.of(EVERY_KIND.get(0)),
                List.of(new StepFact.FenceApplied(List.of("app", "billing"), "off")),
                List.of(EVERY_KIND.get(1)),
                List.of(EVERY_KIND.get(2)),
                List.of(EVERY_KIND.get(3)),
                List.of(new StepFact.GreenBaselineTaken(77, List.of())),
                List.of(EVERY_KIND.get(4)),
                List.of(EVERY_KIND.get(6)),
                List.of(EVERY_KIND.get(7)),
                List.of(EVERY_KIND.get(10)),
                List.of(EVERY_KIND.get(13)),
                List.of(EVERY_KIND.get(17)),
                List.of(new StepFact.ReverseCaughtUp())), read);
    }

    @Test
    void eventsKeepTheirLabels() {
        for (JournalEvent event : JournalEvent.values()) {
            assertEquals(event, JournalEvent.of(event.label()));
        }
        assertEquals("torn-line", JournalEvent.TORN_LINE.label());
        assertEquals("step-data", JournalEvent.STEP_DATA.label());
    }

    private static Journal open(Path file) {
        return new Journal(new JournalConfig(file.toString()), JSON);
    }

    private static JournalEntry entry(JournalEvent event, String step, List<StepFact> facts) {
        return new JournalEntry("op-1", "upgrade", event, step, null, null, AT, facts);
    }
}
