package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.postgres.TargetSession;

/**
 * Whether blue still leads the Patroni cluster and takes writes, asked before clients are given back to it: Patroni
 * may have failed over, or another switchover may have run, while PgBouncer was paused.
 */
final class BlueLeads {
    private BlueLeads() {
    }

    /** Why blue must not get clients (null: it leads per /cluster and is out of recovery). */
    static String whyNot(OperationContext context) {
        try (PatroniClients api = new PatroniClients(context.patroniCluster(), context.sampling().httpTimeout(), null)) {
            ClusterResponse cluster = api.cluster();
            String leader = PatroniMembers.leader(cluster).map(ClusterResponse.Member::name).orElse(null);
            String blue = PatroniMembers.of(cluster, context.blueTarget()).map(ClusterResponse.Member::name).orElse(null);
            if (blue == null || !blue.equals(leader)) {
                return "blue (" + blue + ") does not lead the cluster" + (leader == null ? "" : ", " + leader + " does");
            }
        } catch (PatroniClients.Unanswered e) {
            return "cannot tell who leads: " + e.getMessage();
        }
        try (TargetSession blue = context.freshBlue()) {
            return blue.queryBoolean(Statements.IN_RECOVERY) ? "blue is in recovery (a replica)" : null;
        } catch (java.sql.SQLException e) {
            return "cannot tell whether blue takes writes: " + e.getMessage();
        }
    }
}
