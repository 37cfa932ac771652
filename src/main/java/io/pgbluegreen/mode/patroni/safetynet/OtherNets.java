package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.MemberStatusResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniMemberClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The members of the cluster whose WAL replay is paused, as each member's own GET /patroni says: what a safety net
 * holds belongs to the cluster, so a net of another deployment (or of another daemon, with its own journal) shows
 * there. A hold is refused while one exists; a release keeps maintenance mode on for it.
 */
final class OtherNets {
    private OtherNets() {
    }

    /** Members but {@code except} with replay paused; a member whose API does not answer is not counted. */
    static List<String> pausedMembers(ClusterResponse cluster, PatroniClients patroni, String except) {
        List<String> paused = new ArrayList<>();
        for (ClusterResponse.Member member : cluster.memberList()) {
            if (member.name().equals(except)) {
                continue;
            }
            Optional<PatroniMemberClient> api = patroni.of(member);
            try {
                MemberStatusResponse status = api.isPresent() ? api.get().status() : null;
                if (status != null && status.replayPaused()) {
                    paused.add(member.name());
                }
            } catch (RuntimeException unanswered) {
                // not counted: the hold's own checks refuse a member that does not answer
            }
        }
        return paused;
    }
}
