package io.pgbluegreen.gate;

import io.pgbluegreen.mode.logical.LogicalMode;
import io.pgbluegreen.mode.physical.PhysicalMode;
import io.pgbluegreen.sampling.view.ReplayPause;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.GateConfig;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;
import io.pgbluegreen.sampling.view.Activity;
import io.pgbluegreen.sampling.view.Recovery;
import io.pgbluegreen.sampling.view.ServerStatus;
import io.pgbluegreen.sampling.view.Subscription;
import io.pgbluegreen.sampling.view.WalReceiver;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator with hand-made inputs: the cases real servers cannot stage cheaply. */
class GateEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Thresholds LIMITS = Thresholds.defaults(new GateConfig(1000, Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(5)));
    private static final DeploymentConfig PHYSICAL = new DeploymentConfig("d", "blue", "green", "physical", null, null, null, null, null, null, null, null, null, null);
    private static final DeploymentConfig LOGICAL = new DeploymentConfig("d", "blue", "green", "logical", "sub", "sub", null, null, null, null, null, null, null, null);

    @Test
    void aStaleSampleIsUnknownAndBlocks() {
        TargetState blue = state("blue", primary(), NOW.minusSeconds(12));
        TargetState green = state("green", standby(15), NOW);
        Verdict verdict = GateEvaluator.evaluate(input(PHYSICAL, blue, green), new PhysicalMode());
        CheckResult reachable = find(verdict, "blue_reachable");
        assertEquals("unknown", reachable.status().label());
        assertTrue(reachable.message().contains("12.0s old"), reachable.message());
        assertEquals("unknown", find(verdict, "blue_no_prepared_transactions").status().label());
        assertFalse(verdict.ready(), "unknown blocks like fail");
    }

    @Test
    void anOlderGreenMajorFails() {
        TargetState blue = state("blue", primary(), NOW);
        TargetState green = state("green", standby(14), NOW);
        CheckResult check = find(GateEvaluator.evaluate(input(PHYSICAL, blue, green), new PhysicalMode()), "green_major_not_older");
        assertEquals("fail", check.status().label());
        assertEquals("14", check.observed());
    }

    @Test
    void tablesStillSynchronizingFail() {
        TargetState blue = state("blue", primary(), NOW);
        Subscription syncing = new Subscription("sub", true, 42, null, null, 0.1, 0L, 0L,
                Map.of("init", 0L, "data_copy", 1L, "finished_copy", 0L, "synchronized", 0L, "ready", 3L));
        TargetState green = state("green", subscriber(syncing), NOW);
        CheckResult check = find(GateEvaluator.evaluate(input(LOGICAL, blue, green), new LogicalMode()), "tables_ready");
        assertEquals("fail", check.status().label());
        assertTrue(check.message().contains("1 table(s) still synchronizing"), check.message());
    }

    private static GateInput input(DeploymentConfig deployment, TargetState blue, TargetState green) {
        return new GateInput(deployment, LIMITS, NOW, blue, green, new DeploymentLag(0L, 0.0), null, "not read in this test",
                null, "not read in this test", Map.of(), null);
    }

    private static CheckResult find(Verdict verdict, String name) {
        return verdict.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static TargetState state(String name, Sample sample, Instant at) {
        TargetSample s = new TargetSample(at, 0.01, new ServerVersion(sample.major, sample.major + ".0"),
                sample.server, new Activity(null, null, 0, 1), List.of(), List.of(), sample.receiver, sample.recovery,
                sample.subscriptions, sample.recovery == null ? null : 0.0);
        return TargetState.never(name).succeeded(at, s, new TargetState.Counters(1, 1, 0));
    }

    private record Sample(int major, ServerStatus server, WalReceiver receiver, Recovery recovery, List<Subscription> subscriptions) {
    }

    private static Sample primary() {
        return new Sample(15, new ServerStatus(false, Lsn.parse("0/3000000"), 1, "42", NOW.getEpochSecond()), null, null, List.of());
    }

    private static Sample standby(int major) {
        return new Sample(major, new ServerStatus(true, null, 1, "42", NOW.getEpochSecond()),
                new WalReceiver("streaming", Lsn.parse("0/3000000"), Lsn.parse("0/3000000"), 0.1, 0.1, "127.0.0.1", 5432, null, 1),
                new Recovery(Lsn.parse("0/3000000"), Lsn.parse("0/3000000"), null, ReplayPause.NOT_PAUSED, null), List.of());
    }

    private static Sample subscriber(Subscription subscription) {
        return new Sample(16, new ServerStatus(false, Lsn.parse("0/1000000"), 1, "7", NOW.getEpochSecond()), null, null,
                List.of(subscription));
    }
}
