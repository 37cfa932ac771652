package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.mode.patroni.safetynet.MemberTags;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniMemberClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The members other than the held one and the old leader, tagged {@code nofailover} (with the safety net's other
 * tags) while the leader key changes hands, and untagged once the member leads. Maintenance mode alone is not
 * enough: someone may end it between two steps (patronictl resume), and then, once the stopped old leader's key
 * expires, such a member would win the election with the deploy's data while the held member is promoted: two
 * primaries. Tagged, none of them can run for leader at all.
 */
final class OtherMembersTagsStep extends NetRollbackStep {
    static final String EXCLUDE = "exclude_other_members";
    static final String RESTORE = "restore_other_members";
    private final boolean exclude;

    private OtherMembersTagsStep(NetRollbackPlan plan, PatroniClients patroni, boolean exclude) {
        super(exclude ? EXCLUDE : RESTORE, plan, patroni);
        this.exclude = exclude;
    }

    static OtherMembersTagsStep exclude(NetRollbackPlan plan, PatroniClients patroni) {
        return new OtherMembersTagsStep(plan, patroni, true);
    }

    static OtherMembersTagsStep restore(NetRollbackPlan plan, PatroniClients patroni) {
        return new OtherMembersTagsStep(plan, patroni, false);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        if (plan.others().isEmpty()) {
            return "no other member";
        }
        ClusterResponse cluster = patroni.cluster();
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, AgentClient> other : plan.others().entrySet()) {
            PatroniMemberClient api = cluster.memberList().stream().filter(m -> m.name().equals(other.getKey()))
                    .findFirst().flatMap(patroni::of).orElseThrow(() -> new StepFailure(other.getKey()
                            + " is not in /cluster with a REST API among the configured members"));
            try {
                MemberTags.apply(other.getValue(), api, patroni, exclude);
            } catch (io.pgbluegreen.mode.patroni.safetynet.StepFailed e) {
                throw new StepFailure(e.getMessage());
            }
            done.add(other.getKey());
        }
        return (exclude ? "tagged nofailover (no election can pick them): " : "tags removed from: ") + done;
    }
}
