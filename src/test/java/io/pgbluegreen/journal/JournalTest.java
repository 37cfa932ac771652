package io.pgbluegreen.journal;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal file on its own, without servers or a Micronaut context: round trip, a torn last line, damage. */
class JournalTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();

    @TempDir
    Path dir;

    @Test
    void entriesRoundTripAcrossReopensInADirectoryItCreates() {
        Path file = dir.resolve("state/sub/journal.jsonl");
        Journal journal = open(file);
        assertTrue(Files.exists(file), "created (and its directory forced) on open");
        journal.append(entry("op-1", "operation-started", null));
        journal.append(new JournalEntry("op-1", "upgrade", JournalEvent.STEP_DATA, "fence_blue", null, null,
                Instant.parse("2026-11-22T03:41:07.120Z"), null, Map.of("roles", "app,reporting")));
        List<JournalEntry> written = journal.readAll();
        assertEquals(2, written.size(), written.toString());
        assertEquals(Map.of("roles", "app,reporting"), written.get(1).data());
        Journal reopened = open(file);
        assertEquals(written, reopened.readAll());
        assertEquals(List.of(), reopened.tornLines());
    }

    @Test
    void aTornLastLineIsReportedLeftOutAndTheNextEntryStartsOnALineOfItsOwn() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Journal before = open(file);
        before.append(entry("op-1", "operation-started", null));
        before.append(entry("op-1", "step-started", "fence_blue"));
        String torn = "{\"operationId\":\"op-1\",\"deployment\":\"upgrade\",\"event\":\"step-fini";
        Files.writeString(file, torn, StandardOpenOption.APPEND);

        Journal after = open(file);
        assertEquals(List.of(new Journal.TornLine(3, torn)), after.tornLines());
        assertEquals(List.of("operation-started", "step-started"), events(after));
        after.append(entry("op-1", "operation-interrupted", null));
        List<String> lines = Files.readAllLines(file);
        assertEquals(torn, lines.get(2), "the torn line is kept as it was, ended by a newline");
        assertTrue(lines.get(3).contains("\"event\":\"torn-line\"") && lines.get(3).contains("\"line\":\"3\""), lines.get(3));
        assertTrue(lines.get(4).startsWith("{\"operationId\":\"op-1\"") && lines.get(4).contains("operation-interrupted"), lines.get(4));
        assertEquals(List.of("operation-started", "step-started", "operation-interrupted"), events(after));

        // the next start knows that line: neither torn again nor damage
        Journal later = open(file);
        assertEquals(List.of(), later.tornLines());
        assertEquals(List.of("operation-started", "step-started", "operation-interrupted"), events(later));
    }

    @Test
    void aLastLineOfZeroesAfterAPowerLossIsTornToo() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        open(file).append(entry("op-1", "operation-started", null));
        Files.write(file, new byte[600], StandardOpenOption.APPEND);
        Journal after = open(file);
        assertEquals(2, after.tornLines().get(0).number());
        assertEquals("?".repeat(200) + "...", after.tornLines().get(0).start(), "shown clipped and printable");
        assertEquals(List.of("operation-started"), events(after));
    }

    @Test
    void aDamagedLineBeforeTheLastRefusesToOpenNamingFileAndLine() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Journal journal = open(file);
        journal.append(entry("op-1", "operation-started", null));
        journal.append(entry("op-1", "step-started", "fence_blue"));
        journal.append(entry("op-1", "step-finished", "fence_blue"));
        List<String> lines = Files.readAllLines(file);
        lines.set(1, "{\"operationId\":\"op-1\",\"event\":\"step-sta##garbage");
        Files.write(file, lines, StandardCharsets.UTF_8);

        JournalCorruptException refused = assertThrows(JournalCorruptException.class, () -> open(file));
        assertTrue(refused.getMessage().contains(file.toString()) && refused.getMessage().contains("line 2 "), refused.getMessage());
        assertTrue(refused.getMessage().contains("step-sta##garbage"), refused.getMessage());
        assertEquals(1, refused.getMessage().lines().count(), "one line");
        assertEquals(lines, Files.readAllLines(file), "the damaged file is left as it is");
    }

    @Test
    void aLineWithoutTheFieldsOfAnEntryIsDamageToo() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, "{}\n" + JSON.writeValueAsString(entry("op-1", "operation-started", null)) + "\n");
        assertThrows(JournalCorruptException.class, () -> open(file));
    }

    @Test
    void theDirectoryForceOpensTheDirectoryItself() {
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> io.pgbluegreen.durable.DurableFiles.fsyncDirectory(dir.resolve("missing")));
    }

    private static Journal open(Path file) {
        return new Journal(new JournalConfig(file.toString()), JSON);
    }

    private static JournalEntry entry(String operation, String event, String step) {
        return new JournalEntry(operation, "upgrade", JournalEvent.of(event), step, "running", null,
                Instant.parse("2026-11-22T03:41:07Z"), null);
    }

    private static List<String> events(Journal journal) {
        return journal.readAll().stream().map(e -> e.event().label()).toList();
    }
}
