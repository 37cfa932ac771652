package io.pgbluegreen.metrics;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.postgres.Lsn;

import java.util.List;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/** pg_replication_slots: retained WAL and, for logical slots, the confirmed-flush distance. */
final class SlotSeries {
    static final List<String> WAL_STATES = List.of("reserved", "extended", "unreserved", "lost");

    private SlotSeries() {
    }

    static void add(SeriesList out, String target, TargetSample sample) {
        Lsn end = sample.walEnd();
        for (ReplicationSlot slot : sample.slots()) {
            String name = slot.name();
            out.add(SLOT_INFO, 1, target, name, slot.type(), slot.plugin(), slot.database());
            out.flag(SLOT_ACTIVE, slot.active(), target, name);
            out.add(SLOT_RETAINED_WAL, Lsn.distance(end, slot.restartLsn()), target, name);
            if (slot.logical()) {
                out.add(SLOT_CONFIRMED_FLUSH_LAG, Lsn.distance(end, slot.confirmedFlushLsn()), target, name);
            }
            if (slot.walStatus() != null) {
                out.stateSet(SLOT_WAL_STATUS, WAL_STATES, slot.walStatus(), target, name);
            }
            out.add(SLOT_SAFE_WAL_SIZE, slot.safeWalSizeBytes(), target, name);
        }
    }
}
