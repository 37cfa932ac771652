package io.pgbluegreen.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of the WAL segment files that hold a range of WAL on one timeline, computed as PostgreSQL's
 * XLogFileName does: timeline, then the segment number split into "log" and "seg" parts, 8 hex digits each.
 */
final class WalSegments {
    private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");
    /** More than this is not a check the agent answers (16 MiB segments: 1 TiB of WAL). */
    static final int MAX_SEGMENTS = 65_536;

    private WalSegments() {
    }

    static boolean isLsn(String text) {
        return text != null && LSN.matcher(text).matches();
    }

    /** Bytes of WAL before the position; the caller has checked {@link #isLsn}. */
    static long bytes(String lsn) {
        int slash = lsn.indexOf('/');
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }

    /** Every segment from the one holding {@code from} to the one holding {@code to}, both included. */
    static List<String> covering(int timeline, long from, long to, long segmentBytes) {
        if (segmentBytes <= 0 || Long.bitCount(segmentBytes) != 1) {
            throw new IllegalArgumentException("segment size " + segmentBytes + " is not a power of two");
        }
        long first = from / segmentBytes;
        long last = to / segmentBytes;
        if (last - first + 1 > MAX_SEGMENTS) {
            throw new IllegalArgumentException("the range spans " + (last - first + 1) + " segments (at most "
                    + MAX_SEGMENTS + ")");
        }
        List<String> names = new ArrayList<>();
        for (long segment = first; segment <= last; segment++) {
            names.add(name(timeline, segment, segmentBytes));
        }
        return names;
    }

    static String name(int timeline, long segment, long segmentBytes) {
        long perId = 0x1_0000_0000L / segmentBytes;
        return String.format(Locale.ROOT, "%08X%08X%08X", timeline, segment / perId, segment % perId);
    }
}
