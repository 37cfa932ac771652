package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.SideFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon's role on blue needs for the steps this deployment will run there: the mode says.
 */
final class BluePrivileges {
    private BluePrivileges() {
    }

    static List<MissingPrivilege> missing(GateInput in, ModeGate mode) {
        List<MissingPrivilege> out = new ArrayList<>();
        SideFacts blue = in.blueFacts();
        if (blue == null || blue.role().superuser()) {
            return out;
        }
        mode.bluePrivileges(out, in, blue);
        return out;
    }
}
