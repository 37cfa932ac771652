package io.pgbluegreen.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations, in milliseconds. */
record LatencyStats(int count, double p50Millis, double p99Millis, double maxMillis, double meanMillis) {

    static LatencyStats of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new LatencyStats(sorted.length, millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)),
                millis(sorted[sorted.length - 1]), sum / sorted.length / 1e6);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
