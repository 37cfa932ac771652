package io.pgbluegreen.metrics;

import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.Activity;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.ServerStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Series built from hand-made samples, compared as the Prometheus text a scrape shows (no server, no daemon). */
class SeriesTextTest {
    private final SeriesBoard board = new SeriesBoard(null);

    @Test
    void aPrimaryWithALogicalSlot() {
        ReplicationSlot slot = new ReplicationSlot("sub_slot", "logical", "pgoutput", "app", true, 4242,
                Lsn.parse("0/3000000"), Lsn.parse("0/3FFFF00"), "reserved", null);
        SeriesList out = new SeriesList();
        SlotSeries.add(out, "blue", primary(Lsn.parse("0/4000000"), slot));
        board.publish("target:blue", out.series());

        assertEquals("""
                # HELP pgbg_slot_active 1 when a consumer is connected to the slot
                # TYPE pgbg_slot_active gauge
                pgbg_slot_active{target="blue",slot="sub_slot"} 1
                # HELP pgbg_slot_confirmed_flush_lag_bytes Logical slots: current position minus confirmed_flush_lsn (the logical lag)
                # TYPE pgbg_slot_confirmed_flush_lag_bytes gauge
                pgbg_slot_confirmed_flush_lag_bytes{target="blue",slot="sub_slot"} 256
                # HELP pgbg_slot_info Always 1: slot type, plugin and database
                # TYPE pgbg_slot_info gauge
                pgbg_slot_info{target="blue",slot="sub_slot",slot_type="logical",plugin="pgoutput",database="app"} 1
                # HELP pgbg_slot_retained_wal_bytes WAL the slot holds back: current position minus restart_lsn
                # TYPE pgbg_slot_retained_wal_bytes gauge
                pgbg_slot_retained_wal_bytes{target="blue",slot="sub_slot"} 16777216
                # HELP pgbg_slot_wal_status State set of wal_status: reserved, extended, unreserved, lost (PostgreSQL 13+)
                # TYPE pgbg_slot_wal_status gauge
                pgbg_slot_wal_status{target="blue",slot="sub_slot",state="reserved"} 1
                pgbg_slot_wal_status{target="blue",slot="sub_slot",state="extended"} 0
                pgbg_slot_wal_status{target="blue",slot="sub_slot",state="unreserved"} 0
                pgbg_slot_wal_status{target="blue",slot="sub_slot",state="lost"} 0
                """, render(), "safe_wal_size is unknown (unlimited): no series rather than 0");
    }

    @Test
    void ownersShareOneHeaderPerFamilyAndCountersEndInTotal() {
        board.publish("target:blue", new SeriesList()
                .add(MetricCatalog.ROUND_TRIPS, 12, "blue")
                .add(MetricCatalog.LAST_SUCCESS, 1_700_000_000.25, "blue").series());
        board.publish("target:green", new SeriesList()
                .add(MetricCatalog.ROUND_TRIPS, 3, "green")
                .add(MetricCatalog.LAST_SUCCESS, null, "green").series());

        assertEquals("""
                # HELP pgbg_last_sample_success_timestamp_seconds Unix time of the last successful sample
                # TYPE pgbg_last_sample_success_timestamp_seconds gauge
                pgbg_last_sample_success_timestamp_seconds{target="blue"} 1.70000000025E9
                # HELP pgbg_sample_round_trips_total Query round trips sent to the target (one per tick)
                # TYPE pgbg_sample_round_trips_total counter
                pgbg_sample_round_trips_total{target="blue"} 12
                pgbg_sample_round_trips_total{target="green"} 3
                """, sortedOwners(render()));
    }

    @Test
    void labelValuesAreEscapedAndInfinityIsSpelledAsPrometheusReadsIt() {
        board.publish("target:odd", new SeriesList()
                .add(MetricCatalog.SLOT_ACTIVE, 0, "odd", "a \"quoted\\slot\"\nname")
                .add(MetricCatalog.SAMPLE_AGE, Double.POSITIVE_INFINITY, "odd").series());

        assertEquals("""
                # HELP pgbg_sample_age_seconds Seconds since the last successful sample of the target (+Inf before the first)
                # TYPE pgbg_sample_age_seconds gauge
                pgbg_sample_age_seconds{target="odd"} +Inf
                # HELP pgbg_slot_active 1 when a consumer is connected to the slot
                # TYPE pgbg_slot_active gauge
                pgbg_slot_active{target="odd",slot="a \\"quoted\\\\slot\\"\\nname"} 0
                """, render());
    }

    @Test
    void aRepublishedOwnerLosesTheSeriesItNoLongerHas() {
        SeriesList withSlot = new SeriesList().add(MetricCatalog.SLOT_ACTIVE, 1, "blue", "gone_soon");
        board.publish("target:blue", withSlot.series());
        board.publish("target:blue", new SeriesList().add(MetricCatalog.UP, 1, "blue").series());

        assertEquals("""
                # HELP pgbg_up 1 when the last sample of the target succeeded, else 0
                # TYPE pgbg_up gauge
                pgbg_up{target="blue"} 1
                """, render(), "the dropped slot's family vanishes, header and all");
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        board.renderPublished(out);
        return out.toString();
    }

    /** Owners are kept in a hash map: within a family, sort the series lines so the text compares exactly. */
    private static String sortedOwners(String text) {
        StringBuilder out = new StringBuilder();
        List<String> block = new java.util.ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#")) {
                block.stream().sorted().forEach(l -> out.append(l).append('\n'));
                block.clear();
                out.append(line).append('\n');
            } else {
                block.add(line);
            }
        }
        block.stream().sorted().forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static TargetSample primary(Lsn walEnd, ReplicationSlot... slots) {
        return new TargetSample(Instant.parse("2026-11-30T02:00:00Z"), 0.004, new ServerVersion(16, "16.4"),
                new ServerStatus(false, walEnd, 1, "7301234567890123456", 1_700_000_000),
                new Activity(0.0, 0.0, 0, 3), List.of(), List.of(slots), null, null, List.of(), null);
    }
}
