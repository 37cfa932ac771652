package io.pgbluegreen.mode.patroni;

import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.operation.StepRefused;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniMemberClient;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;
import java.util.Map;

/**
 * Asks Patroni to switch over from blue's member to green's (POST /switchover with both names, to the leader), so
 * that Patroni itself demotes blue before green is promoted: there are never two leaders. Patroni's answer is not
 * final (a 503 "status unknown" may still be in progress), so the outcome is read back from /cluster: green's
 * member leads (done), or blue's still does and Patroni refused or gave up (nothing changed: the cutover aborts).
 */
final class SwitchoverStep implements Step {
    static final String NAME = "switchover";
    /** How long Patroni gets to finish a switchover it did not confirm; its own wait is max(10 s, loop_wait). */
    static final Duration RECONCILE = Duration.ofSeconds(60);
    /** Patroni answers POST /switchover once it saw the outcome, polling up to 2 x max(10 s, loop_wait) itself. */
    static final Duration ANSWER = Duration.ofSeconds(45);
    private static final JsonMapper JSON = JsonMapper.createDefault();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        try (PatroniClients api = new PatroniClients(context.patroniCluster(), context.sampling().httpTimeout(), JSON)) {
            ClusterResponse before = cluster(api);
            ClusterResponse.Member leader = PatroniMembers.of(before, context.blueTarget())
                    .orElseThrow(() -> new StepRefused("blue is no member of the Patroni cluster any more"));
            ClusterResponse.Member candidate = PatroniMembers.of(before, context.greenTarget())
                    .orElseThrow(() -> new StepRefused("green is no member of the Patroni cluster any more"));
            if (!leader.patroniRole().leads()) {
                throw new StepRefused("blue's member " + leader.name() + " no longer leads the cluster");
            }
            PatroniMemberClient.Answer answer = ask(context, api, leader, candidate);
            if (answer.status() >= 400 && answer.status() < 500) {
                // 400/412: Patroni checked the request and did nothing
                throw new StepRefused("Patroni refused the switchover (" + answer.status() + "): " + answer.body().trim());
            }
            String[] leaderNow = {null};
            boolean switched = Waits.until(answer.ok() ? Duration.ZERO : RECONCILE, Duration.ofMillis(250), () -> {
                try {
                    leaderNow[0] = PatroniMembers.leader(api.cluster()).map(ClusterResponse.Member::name).orElse(null);
                } catch (PatroniClients.Unanswered unanswered) {
                    return false; // members restart their PostgreSQL, not their REST API; ask again
                }
                return candidate.name().equals(leaderNow[0]);
            });
            if (switched) {
                return "Patroni switched over from " + leader.name() + " to " + candidate.name() + " (its answer: "
                        + answer.status() + " " + answer.body().trim() + ")";
            }
            if (answer.ok()) {
                throw new StepFailure("Patroni answered " + answer.body().trim() + ", but /cluster names "
                        + leaderNow[0] + " as the leader");
            }
            if (leader.name().equals(leaderNow[0])) {
                throw new StepRefused("Patroni did not switch over (" + answer.status() + " " + answer.body().trim()
                        + "); " + leader.name() + " still leads after " + RECONCILE.toSeconds() + "s");
            }
            throw new StepFailure("Patroni answered " + answer.status() + " " + answer.body().trim() + " and after "
                    + RECONCILE.toSeconds() + "s the leader is " + leaderNow[0] + ", not " + candidate.name());
        }
    }

    /** The cluster before anything is asked of it: no member answering refuses the switchover (nothing changed). */
    private static ClusterResponse cluster(PatroniClients api) throws StepRefused {
        try {
            return api.cluster();
        } catch (PatroniClients.Unanswered e) {
            throw new StepRefused(e.getMessage());
        }
    }

    /** Patroni's answer; a call that got none (a timeout, the member's API restarting) reads as status unknown (0). */
    private static PatroniMemberClient.Answer ask(OperationContext context, PatroniClients api,
                                                  ClusterResponse.Member leader, ClusterResponse.Member candidate) {
        String url = api.of(leader).map(PatroniMemberClient::baseUrl)
                .orElse(context.patroniCluster().memberUrls().get(0));
        try (PatroniMemberClient client = new PatroniMemberClient(url, context.patroniCluster(), ANSWER)) {
            return client.send(HttpRequest.POST("/switchover", Map.of("leader", leader.name(), "candidate",
                    candidate.name())));
        } catch (RuntimeException e) {
            return new PatroniMemberClient.Answer(0, "no answer: " + e.getMessage());
        }
    }
}
