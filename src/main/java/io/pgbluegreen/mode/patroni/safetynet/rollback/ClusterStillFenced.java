package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniRole;

/**
 * What must still hold when the old leader stops and when the member is promoted: the cluster in maintenance mode
 * (so the stopped old leader's Patroni kept its leader key, and nobody runs for leader), and no member but the old
 * leader holding the key (once the stopped old leader's key expired, /cluster names no leader: that is fine). Read fresh each time: an operator or a script may have changed either since the gate.
 */
final class ClusterStillFenced {
    private ClusterStillFenced() {
    }

    /**
     * {@code noAnswerIsFenced}: once the old leader's and the member's Patroni are stopped and every other member is
     * tagged nofailover, a cluster whose Patroni all stay silent has nobody who could take the key (two members: none
     * runs at all); before that, silence proves nothing.
     */
    static void check(PatroniClients patroni, String leader, String when, boolean noAnswerIsFenced) throws StepFailure {
        ClusterResponse cluster;
        try {
            cluster = patroni.cluster();
        } catch (PatroniClients.Unanswered e) {
            if (noAnswerIsFenced) {
                return;
            }
            throw new StepFailure(when + ": no Patroni answers /cluster (" + e.getMessage() + ")");
        }
        if (!cluster.paused()) {
            throw new StepFailure(when + ": the cluster is no longer in maintenance mode (someone ran patronictl resume?);"
                    + " Patroni could elect another member while the held one is promoted");
        }
        String holder = cluster.memberList().stream().filter(m -> m.patroniRole() == PatroniRole.LEADER)
                .map(ClusterResponse.Member::name).findFirst().orElse(null);
        if (holder != null && !leader.equals(holder)) {
            throw new StepFailure(when + ": the leader key is held by " + (holder == null ? "nobody" : holder)
                    + ", not by " + leader);
        }
    }
}
