package io.pgbluegreen.mode.physical;

import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.gate.LagChecks;
import io.pgbluegreen.gate.TableCoverageChecks;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.WalReceiver;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A streaming standby is ready to take over: it follows blue, is close behind, replays, and its slot is sound. */
public final class PhysicalChecks {
    private static final Set<String> BAD_WAL_STATUS = Set.of("lost", "unreserved");

    private PhysicalChecks() {
    }

    public static void add(List<CheckResult> out, GateInput in) {
        addStandbyChecks(out, in);
        TableCoverageChecks.addPhysical(out, in);
    }

    private static void addStandbyChecks(List<CheckResult> out, GateInput in) {
        TargetSample blue = in.fresh(in.blue());
        TargetSample green = in.fresh(in.green());
        if (blue == null || green == null) {
            String why = blue == null ? in.whyNotFresh("blue", in.blue()) : in.whyNotFresh("green", in.green());
            for (String name : List.of("green_streams_from_blue", "replay_not_paused", "green_slot_healthy")) {
                out.add(CheckResult.unknown(name, why));
            }
            LagChecks.add(out, in, "replay");
            return;
        }
        out.add(streamsFromBlue(blue, green));
        LagChecks.add(out, in, "replay");
        out.add(replayNotPaused(green));
        out.add(slotHealthy(blue, green));
    }

    private static CheckResult streamsFromBlue(TargetSample blue, TargetSample green) {
        String name = "green_streams_from_blue";
        WalReceiver receiver = green.walReceiver();
        String observed = "system " + green.server().systemIdentifier() + ", timeline " + green.server().timeline()
                + ", receiver " + (receiver == null ? "none" : receiver.status());
        String wanted = "system " + blue.server().systemIdentifier() + ", timeline " + blue.server().timeline() + ", streaming";
        if (!green.server().inRecovery()) {
            return CheckResult.fail(name, "not in recovery", wanted, "green is not a standby (already promoted?)");
        }
        if (!Objects.equals(green.server().systemIdentifier(), blue.server().systemIdentifier())) {
            return CheckResult.fail(name, observed, wanted, "green is a copy of another cluster (system identifiers differ)");
        }
        if (!Objects.equals(green.server().timeline(), blue.server().timeline())) {
            return CheckResult.fail(name, observed, wanted, "green is on another timeline than blue");
        }
        if (receiver == null || !receiver.streaming()) {
            return CheckResult.fail(name, observed, wanted, "green's WAL receiver is not streaming");
        }
        return CheckResult.pass(name, observed, wanted, "green streams from blue's cluster on its timeline");
    }

    private static CheckResult replayNotPaused(TargetSample green) {
        String state = green.recovery() == null ? "n/a" : green.recovery().pauseState().label();
        boolean paused = green.recovery() != null && green.recovery().replayStopped();
        return CheckResult.of("replay_not_paused", !paused, state, "not paused", "green replays WAL",
                "WAL replay on green is " + state + ": resume it (pg_wal_replay_resume()) before a cutover");
    }

    private static CheckResult slotHealthy(TargetSample blue, TargetSample green) {
        String name = "green_slot_healthy";
        String slotName = green.walReceiver() != null && green.walReceiver().slotName() != null
                ? green.walReceiver().slotName() : green.recovery() == null ? null : green.recovery().primarySlotName();
        if (slotName == null || slotName.isEmpty()) {
            return CheckResult.pass(name, "no slot", "active, WAL reserved", "green streams without a replication slot");
        }
        ReplicationSlot slot = blue.slots().stream().filter(s -> s.name().equals(slotName)).findFirst().orElse(null);
        if (slot == null) {
            return CheckResult.fail(name, "missing", "active, WAL reserved", "green uses slot " + slotName + ", which blue does not have");
        }
        String observed = (slot.active() ? "active" : "inactive") + ", wal_status " + slot.walStatus();
        boolean ok = slot.active() && (slot.walStatus() == null || !BAD_WAL_STATUS.contains(slot.walStatus()));
        return CheckResult.of(name, ok, observed, "active, WAL reserved", "slot " + slotName + " is " + observed,
                "slot " + slotName + " on blue is " + observed);
    }
}
