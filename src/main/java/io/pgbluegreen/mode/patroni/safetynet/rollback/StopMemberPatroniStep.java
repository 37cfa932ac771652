package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.CommandResult;
import io.pgbluegreen.operation.OperationContext;

/**
 * Stops the held member's Patroni through its host agent. In maintenance mode Patroni leaves its PostgreSQL running
 * (still paused); from here on nothing rewrites the member's recovery settings behind the rollback's back.
 */
final class StopMemberPatroniStep extends NetRollbackStep {
    static final String NAME = "stop_member_patroni";

    StopMemberPatroniStep(NetRollbackPlan plan) {
        super(NAME, plan, null);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        CommandResult stopped = plan.memberAgent().stopPatroni();
        return "Patroni on " + plan.member() + " stopped in " + stopped.millis() + " ms (" + stopped.command() + "): "
                + AgentOutput.lastLine(stopped);
    }
}
