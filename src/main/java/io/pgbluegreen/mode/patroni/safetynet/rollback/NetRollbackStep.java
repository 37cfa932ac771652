package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.operation.Step;
import io.pgbluegreen.patroni.PatroniClients;

/** A step of the safety-net rollback: its name, the rollback's plan, and the cluster's Patroni REST APIs. */
abstract class NetRollbackStep implements Step {
    private final String name;
    protected final NetRollbackPlan plan;
    protected final PatroniClients patroni;

    NetRollbackStep(String name, NetRollbackPlan plan, PatroniClients patroni) {
        this.name = name;
        this.plan = plan;
        this.patroni = patroni;
    }

    @Override
    public final String name() {
        return name;
    }
}
