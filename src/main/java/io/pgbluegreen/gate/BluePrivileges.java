package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.gate.facts.SideFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon's role on blue needs for the steps this deployment will run there: the fence (every mode), the
 * post-checks' audit of every database, and for logical the marker, the publication, the sequences it copies, and
 * with reverse replication blue's subscription to green (and setting the sequences back in a rollback).
 */
final class BluePrivileges {
    private BluePrivileges() {
    }

    static List<MissingPrivilege> missing(GateInput in) {
        List<MissingPrivilege> out = new ArrayList<>();
        SideFacts blue = in.blueFacts();
        if (blue == null || blue.role().superuser()) {
            return out;
        }
        FencePrivileges.add(out, blue.role(), blue.databaseAccess(), "fence_blue");
        FencePrivileges.connect(out, blue.role(), blue.databaseAccess(), "post_checks");
        if (in.deployment().deploymentMode() == DeploymentMode.LOGICAL) {
            boolean reverse = in.deployment().reverse();
            MarkerPrivileges.add(out, blue);
            PublicationPrivileges.add(out, blue, in.subscriptionInfo());
            SequencePrivileges.add(out, blue, blue.sequences().names(), reverse, reverse
                    ? "sync_sequences: reading each value, and a rollback's setval of green's" : "sync_sequences: reading each value");
            if (reverse) {
                ReversePrivileges.blue(out, blue, in.subscriptionInfo());
            }
        }
        return out;
    }
}
