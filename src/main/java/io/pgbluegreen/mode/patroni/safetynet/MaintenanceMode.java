package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.patroni.PatroniClients;

import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.MemberStatusResponse;
import io.pgbluegreen.patroni.PatroniMemberClient;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;
import java.util.Optional;

/**
 * Maintenance mode on and off (Patroni's pause: {@code PATCH /config {"pause": ...}}), each verified where it
 * matters within {@link #TIMEOUT}: /cluster shows it, and the held member's own GET /patroni does too. The member's
 * own view is the one that counts: its HA loop resumes a paused replica on PostgreSQL 14+ outside maintenance mode
 * (ha.py, {@code handle_parameter_change}), and it reads pause from the cluster its running loop loaded.
 */
public final class MaintenanceMode {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);

    private MaintenanceMode() {
    }

    public static void set(PatroniClients patroni, boolean on, Optional<PatroniMemberClient> leaderApi,
                    Optional<PatroniMemberClient> memberApi) throws StepFailed {
        patroni.setPause(on, leaderApi);
        String[] last = {"nothing read yet"};
        boolean seen;
        try {
            seen = Waits.until(TIMEOUT, POLL, () -> {
                ClusterResponse cluster = patroni.cluster();
                MemberStatusResponse own = memberApi.isPresent() ? patroni.status(memberApi.get()) : null;
                boolean ownPaused = own == null ? on : Boolean.TRUE.equals(own.pause());
                last[0] = "/cluster pause=" + cluster.paused() + ", the member's /patroni pause=" + ownPaused;
                return cluster.paused() == on && ownPaused == on;
            });
        } catch (StepFailed | RuntimeException e) {
            throw new StepFailed("maintenance mode " + (on ? "on" : "off") + ": " + PatroniClients.firstLine(e));
        } catch (Exception e) {
            throw new StepFailed("maintenance mode " + (on ? "on" : "off") + ": interrupted");
        }
        if (!seen) {
            throw new StepFailed("maintenance mode " + (on ? "on" : "off") + " not seen within " + TIMEOUT.toSeconds()
                    + " s (" + last[0] + ")");
        }
    }
}
