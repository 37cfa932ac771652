package io.pgbluegreen.bench;

import io.pgbluegreen.support.PromText;

import java.util.List;

/**
 * The daemon's own figures from one /prometheus answer: bytes allocated so far (Micrometer, updated at each
 * collection) and the ticks (query batches) it counted over all targets.
 */
record DaemonStats(double allocatedBytes, double ticks) {

    static DaemonStats of(List<PromText.Sample> samples) {
        double allocated = 0;
        double ticks = 0;
        for (PromText.Sample s : samples) {
            switch (s.name()) {
                case "jvm_gc_memory_allocated_bytes_total" -> allocated += s.value();
                case "pgbg_sample_round_trips_total" -> ticks += s.value();
                default -> {
                }
            }
        }
        return new DaemonStats(allocated, ticks);
    }

    DaemonStats minus(DaemonStats earlier) {
        return new DaemonStats(allocatedBytes - earlier.allocatedBytes, ticks - earlier.ticks);
    }
}
