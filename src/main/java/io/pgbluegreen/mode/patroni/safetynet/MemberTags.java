package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.http.HttpRequest;
import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.agent.AgentException;
import io.pgbluegreen.agent.TagsResult;
import io.pgbluegreen.patroni.MemberStatusResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniMemberClient;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;
import java.util.List;

/**
 * The held member's exclusion tags ({@code nofailover}, {@code noloadbalance}, {@code nosync}): its agent writes or
 * removes them in Patroni's configuration file, then Patroni reloads it ({@code POST /reload}) and the member's own
 * GET /patroni must show the change within {@link #TIMEOUT}. Maintenance mode already stops automatic failover;
 * the tags also keep the member out of a switchover by hand, out of load balancers' /replica checks (they would
 * send reads to a replica that stopped replaying) and out of synchronous replication.
 */
public final class MemberTags {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);
    static final List<String> TAGS = List.of("nofailover", "noloadbalance", "nosync");

    private MemberTags() {
    }

    private static String describe(MemberStatusResponse status) {
        return String.join(", ", TAGS.stream().map(tag -> tag + "=" + status.tagged(tag)).toList());
    }

    private static String describe(java.util.Map<String, Object> tags) {
        return String.join(", ", TAGS.stream().map(tag -> tag + "=" + Boolean.TRUE.equals(tags.get(tag))).toList());
    }

    /** Sets ({@code exclude}) or removes the tags and waits until Patroni runs with them; returns the step's detail. */
    public static String apply(AgentClient agent, PatroniMemberClient memberApi, PatroniClients patroni, boolean exclude)
            throws StepFailed {
        TagsResult written;
        try {
            written = agent.tags(exclude);
        } catch (AgentException e) {
            throw new StepFailed((exclude ? "tagging " : "untagging ") + agent.member() + ": " + e.getMessage());
        }
        PatroniMemberClient.Answer reload = memberApi.send(HttpRequest.POST("/reload", ""));
        if (!reload.ok()) {
            throw new StepFailed("Patroni on " + agent.member() + " did not reload its configuration: HTTP "
                    + reload.status() + " " + PatroniClients.firstLine(reload.body()));
        }
        // what Patroni must run with: the file's tags after the change (an operator's own nofailover stays)
        java.util.Map<String, Object> expected = written.tags();
        String[] last = {"nothing read yet"};
        boolean seen;
        try {
            seen = Waits.until(TIMEOUT, POLL, () -> {
                MemberStatusResponse status = patroni.status(memberApi);
                last[0] = describe(status);
                return TAGS.stream().allMatch(tag -> status.tagged(tag) == Boolean.TRUE.equals(expected.get(tag)));
            });
        } catch (Exception e) {
            throw new StepFailed("reading " + agent.member() + "'s tags: " + PatroniClients.firstLine(e));
        }
        if (!seen) {
            throw new StepFailed(agent.member() + "'s Patroni does not run with the tags its configuration file gives it ("
                    + describe(expected) + ") " + TIMEOUT.toSeconds() + " s after its reload (it runs with " + last[0] + ")");
        }
        return (exclude ? TAGS + " set on " : TAGS + " removed from ") + agent.member() + " (" + written.file()
                + "), and Patroni runs with them";
    }
}
