package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentMode;
import jakarta.inject.Singleton;

import java.util.List;

/** The gates of every deployment mode, found by mode. */
@Singleton
public final class ModeGates {
    private final List<ModeGate> gates;

    public ModeGates(List<ModeGate> gates) {
        this.gates = List.copyOf(gates);
    }

    public ModeGate of(DeploymentMode mode) {
        return gates.stream().filter(g -> g.judges(mode)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gate for mode " + mode.label()));
    }
}
