package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.TargetSession;

import java.time.Duration;
import java.util.Map;

/**
 * Everything one safety-net rollback acts on, fixed when its gate passed: the held net (its member, the leader it
 * was held under, the marker's xid and positions), how to reach both members' PostgreSQL and host agents, the
 * agents of the cluster's other members (tagged out of elections while the key changes hands), and the limits of
 * its waits. Closing it closes the agents' HTTP clients.
 */
record NetRollbackPlan(DeploymentConfig deployment, PatroniClusterConfig cluster, SamplingConfig sampling,
                       String holdId, StepFact.SafetyNetHeld net,
                       TargetConfig memberTarget, TargetConfig leaderTarget,
                       AgentClient memberAgent, AgentClient leaderAgent, boolean memberTagged,
                       Map<String, AgentClient> others, Limits limits) implements AutoCloseable {

    /** How long each wait may take; the leader key's ttl decides how long the member waits to lead. */
    record Limits(Duration recovery, Duration promotion, Duration leaderKey, Duration rejoin) {
    }

    String member() {
        return net.member();
    }

    String leader() {
        return net.leader();
    }

    /** A new session to the held member (it restarts during the rollback, so no session outlives a step). */
    TargetSession memberSession() {
        return new TargetSession(memberTarget, sampling);
    }

    TargetSession leaderSession() {
        return new TargetSession(leaderTarget, sampling);
    }

    /**
     * Takes the safety net's exclusion tags out of the member's Patroni configuration file while its Patroni is stopped
     * (it reads them when it starts): a leader or a returned replica must not keep nofailover. Returns what was done.
     */
    String untagMember() throws io.pgbluegreen.agent.AgentException {
        if (!memberTagged) {
            return "";
        }
        memberAgent.tags(false);
        return "; its exclusion tags removed";
    }

    @Override
    public void close() {
        memberAgent.close();
        leaderAgent.close();
        others.values().forEach(AgentClient::close);
    }
}
