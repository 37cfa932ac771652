package io.pgbluegreen.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WAL segment file names, as PostgreSQL's XLogFileName computes them. */
class AgentWalSegmentsTest {
    private static final long MIB_16 = 16L * 1024 * 1024;

    @Test
    void aRangeCoversEverySegmentFromTheFirstToTheLastIncluded() {
        assertEquals(List.of("000000010000000000000003", "000000010000000000000004", "000000010000000000000005"),
                WalSegments.covering(1, WalSegments.bytes("0/3000060"), WalSegments.bytes("0/5000000"), MIB_16));
        assertEquals(List.of("000000010000000000000003"),
                WalSegments.covering(1, WalSegments.bytes("0/3000060"), WalSegments.bytes("0/3000148"), MIB_16));
    }

    @Test
    void theHighWordAndTheTimelineAreHexToo() {
        // 16 MiB segments: 256 per 4 GiB "log" file; 1/FF000000 is segment 0xFF of log 1
        assertEquals(List.of("0000000A00000001000000FF", "0000000A0000000200000000"),
                WalSegments.covering(10, WalSegments.bytes("1/FF000000"), WalSegments.bytes("2/00000010"), MIB_16));
        // 1 GiB segments: 4 per log
        assertEquals("000000020000000300000002", WalSegments.name(2, 3 * 4 + 2, 1L << 30));
    }

    @Test
    void lsnFormatAndRangeBounds() {
        assertTrue(WalSegments.isLsn("16/B374D848"));
        for (String bad : List.of("", "0/", "/1", "0x0/1", "0/1/2", "123456789/0", "g/0", "0 /1")) {
            assertFalse(WalSegments.isLsn(bad), bad);
        }
        assertEquals(0x16_B374D848L, WalSegments.bytes("16/B374D848"));
        assertThrows(IllegalArgumentException.class, () -> WalSegments.covering(1, 0, WalSegments.bytes("FFFF/0"), MIB_16));
    }
}
