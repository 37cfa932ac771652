package io.pgbluegreen.cutover;

import io.pgbluegreen.fence.Fence;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a fence journals comes back as it was: any role name, and journals of earlier versions. */
class FenceTest {

    @Test
    void roleNamesWithCommasQuotesAndSpacesRoundTrip() {
        Fence fence = new Fence(List.of("app", "a,b", "say \"hi\"", "", "x,\"y\",z"), "on");
        assertEquals(fence, Fence.fromData(fence.toData()));
    }

    @Test
    void noRoleRoundTrips() {
        Fence fence = new Fence(List.of(), "");
        assertEquals(fence, Fence.fromData(fence.toData()));
    }

    @Test
    void aJournalOfAnEarlierVersionStillReads() {
        assertEquals(new Fence(List.of("app", "billing"), "off"),
                Fence.fromData(Map.of("fence.roles", "app,billing", "fence.previous_read_only", "off")));
    }
}
