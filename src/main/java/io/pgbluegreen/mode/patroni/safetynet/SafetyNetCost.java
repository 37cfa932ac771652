package io.pgbluegreen.mode.patroni.safetynet;

import java.util.List;

/** What holding a safety net costs, told to the operator in the hold's answer and in every GET. */
final class SafetyNetCost {
    private SafetyNetCost() {
    }

    static List<String> of(String member, boolean enteredMaintenance, boolean tagged) {
        if (tagged) {
            return List.of(maintenance(enteredMaintenance), walKept(member),
                    member + " serves stale reads to clients that connect to it directly; it is tagged noloadbalance,"
                            + " so Patroni's GET /replica answers 503 and load balancers using it stop sending it reads",
                    member + " is tagged nofailover and nosync: no switchover or failover (patronictl) may pick it, and"
                            + " it is never a synchronous standby; the tags go at release");
        }
        return List.of(
                maintenance(enteredMaintenance), walKept(member),
                member + " serves stale reads: it shows data as of the pause, yet Patroni ranks members by the larger of"
                        + " received and replayed positions, so its lag reads 0 and its GET /replica and /read-only checks"
                        + " (lag limits included) keep load balancers sending it reads",
                member + " still acknowledges WAL it receives: a synchronous standby is refused, and it must not be named"
                        + " in synchronous_standby_names with synchronous_commit = remote_apply",
                member + " stays a candidate for a manual switchover or failover (patronictl); promoting it would end the"
                        + " hold (this daemon's cutover refuses it: replay is paused); no host agent is configured for it"
                        + " (pg-bluegreen.patroni.<cluster>.agents." + member + "), so it was not tagged nofailover");
    }

    private static String maintenance(boolean enteredMaintenance) {
        return "no automatic failover for the whole cluster: it is in maintenance mode ("
                + (enteredMaintenance ? "entered by this safety net, left on release"
                : "it was on already and stays on after release") + "); if the leader fails, nothing is"
                + " promoted until an operator acts, and Patroni neither starts nor restarts stopped PostgreSQL members";
    }

    private static String walKept(String member) {
        return "WAL accumulates on " + member + ": everything it receives is kept in its pg_wal until replay resumes"
                + " (pgbg_safety_net_wal_kept_bytes); its disk must have room for the deployment's WAL";
    }
}
