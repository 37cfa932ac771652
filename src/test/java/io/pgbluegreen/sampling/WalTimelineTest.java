package io.pgbluegreen.sampling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A replica's time lag read off blue's recorded WAL ends. */
class WalTimelineTest {
    @Test
    void nothingRecordedMeansUnknown() {
        assertNull(new WalTimeline().lagSeconds(0, 100));
    }

    @Test
    void aReplicaTrailsByTheTimeSinceBlueWasLastWhereItIsNow() {
        WalTimeline blue = new WalTimeline();
        blue.add(100, 1000);
        blue.add(101, 2000);
        blue.add(102, 3000);

        assertEquals(0.5, blue.lagSeconds(3000, 102.5), "caught up: only the time since the last sample");
        assertEquals(1.5, blue.lagSeconds(2999, 102.5), "short of 3000: it has what blue had at 101");
        assertEquals(2.5, blue.lagSeconds(1000, 102.5));
    }

    @Test
    void beforeTheRecordedHistoryTheOldestPointGivesALowerBound() {
        WalTimeline blue = new WalTimeline();
        blue.add(100, 1000);
        blue.add(101, 2000);
        assertEquals(5.0, blue.lagSeconds(10, 105));
    }

    @Test
    void aClockStepBackIsIgnoredAndLagIsNeverNegative() {
        WalTimeline blue = new WalTimeline();
        blue.add(100, 1000);
        blue.add(99, 5000);
        assertEquals(1.0, blue.lagSeconds(5000, 101), "the point from the past was not recorded");
        assertEquals(0.0, blue.lagSeconds(1000, 99.5), "a now before the sample reads 0, not negative");
    }

    @Test
    void anIdleBlueKeepsTheLagOfACaughtUpReplicaSmall() {
        WalTimeline blue = new WalTimeline();
        for (int second = 0; second < 10; second++) {
            blue.add(second, 7000);
        }
        assertEquals(0.25, blue.lagSeconds(7000, 9.25));
    }

    @Test
    void onlyTheLastHourIsKept() {
        WalTimeline blue = new WalTimeline();
        for (int second = 0; second < 3600 + 10; second++) {
            blue.add(second, 1000L * second);
        }
        assertEquals(3600.0, blue.lagSeconds(0, 3610), "the oldest kept point is second 10");
    }
}
