package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.SideFacts;

import java.util.ArrayList;
import java.util.List;

/** What the daemon's role on green needs for the steps this deployment will run there: the mode says. */
final class GreenPrivileges {
    private GreenPrivileges() {
    }

    static List<MissingPrivilege> missing(GateInput in, ModeGate mode) {
        List<MissingPrivilege> out = new ArrayList<>();
        SideFacts green = in.greenFacts();
        if (green == null || green.role().superuser()) {
            return out;
        }
        mode.greenPrivileges(out, in, green);
        return out;
    }
}
