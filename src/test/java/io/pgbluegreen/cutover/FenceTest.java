package io.pgbluegreen.cutover;

import io.micronaut.json.JsonMapper;
import io.pgbluegreen.fence.Fence;

import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a fence journals comes back as it was: any role name, and journals of earlier versions. */
class FenceTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();

    @Test
    void roleNamesWithCommasQuotesAndSpacesRoundTrip() throws IOException {
        Fence fence = new Fence(List.of("app", "a,b", "say \"hi\"", "", "x,\"y\",z"), "on");
        assertEquals(fence, throughTheJournal(List.of(fence.fact()), null));
    }

    @Test
    void noRoleRoundTrips() throws IOException {
        Fence fence = new Fence(List.of(), "");
        assertEquals(fence, throughTheJournal(List.of(fence.fact()), null));
    }

    @Test
    void aJournalOfAnEarlierVersionStillReads() throws IOException {
        assertEquals(new Fence(List.of("app", "billing"), "off"),
                throughTheJournal(null, Map.of("fence.roles", "app,billing", "fence.previous_read_only", "off")));
    }

    /** Written as a journal line and read back: the fence its facts (or an earlier version's data) hold. */
    private static Fence throughTheJournal(List<StepFact> facts, Map<String, String> data) throws IOException {
        String line = JSON.writeValueAsString(new JournalEntry("op-1", "upgrade", JournalEvent.STEP_DATA, "fence_blue",
                null, null, Instant.parse("2026-11-22T03:41:07Z"), facts, data));
        JournalEntry read = JSON.readValue(line, JournalEntry.class);
        return Fence.of((StepFact.FenceApplied) read.readFacts().get(0));
    }
}
