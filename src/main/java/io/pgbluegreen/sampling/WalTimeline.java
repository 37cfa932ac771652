package io.pgbluegreen.sampling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * When blue's WAL end was where, from its samples (about an hour at one per second). It turns a position a
 * replica has confirmed into a time lag without relying on the walsender's replay_lag, which PostgreSQL reports
 * as NULL when it has no fresh feedback: a replica at position P has everything blue had at the last sample whose
 * WAL end was at or before P, so its lag is at most the time since then.
 */
public final class WalTimeline {
    private static final int CAPACITY = 3600;
    private final Deque<long[]> points = new ArrayDeque<>();

    /** Records blue's WAL end (bytes) at a server time (epoch millis). */
    public synchronized void add(double epochSeconds, long walEndBytes) {
        long millis = Math.round(epochSeconds * 1000);
        if (!points.isEmpty() && points.peekLast()[0] >= millis) {
            return;
        }
        points.addLast(new long[]{millis, walEndBytes});
        if (points.size() > CAPACITY) {
            points.removeFirst();
        }
    }

    /**
     * Seconds a replica at {@code position} trails blue as of {@code nowEpochSeconds}; null when nothing is known.
     * Beyond the recorded history it answers the age of the oldest point (a lower bound).
     */
    public synchronized Double lagSeconds(long position, double nowEpochSeconds) {
        if (points.isEmpty()) {
            return null;
        }
        Iterator<long[]> newestFirst = points.descendingIterator();
        while (newestFirst.hasNext()) {
            long[] point = newestFirst.next();
            if (point[1] <= position) {
                return Math.max(0, nowEpochSeconds - point[0] / 1000.0);
            }
        }
        return Math.max(0, nowEpochSeconds - points.peekFirst()[0] / 1000.0);
    }
}
