package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.SideFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon's role on blue needs for the steps this deployment will run there: the fence (every mode), the
 * post-checks' audit of every database, and what the deployment's mode runs there besides.
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
        FencePrivileges.add(out, blue.role(), blue.databaseAccess(), "fence_blue");
        FencePrivileges.connect(out, blue.role(), blue.databaseAccess(), "post_checks");
        mode.bluePrivileges(out, in, blue);
        return out;
    }
}
