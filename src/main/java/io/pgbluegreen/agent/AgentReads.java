package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The read-only calls: status and the WAL check. They run beside a step, never wait for one. */
@Singleton
@Requires(property = AgentConfig.ENABLED, value = "true")
class AgentReads {
    private static final int LOG_LINES = 20;
    private final AgentConfig config;
    private final PgTools tools;

    AgentReads(AgentConfig config, PgTools tools) {
        this.config = config;
        this.tools = tools;
    }

    AgentStatus status() {
        PgTools.Running running = tools.status();
        ControlData control = tools.controlData();
        Path data = config.data();
        return new AgentStatus(config.dataDirectory(), running.running(), running.pid(), control.clusterState(),
                control.timeline(), Files.exists(data.resolve(AgentSteps.STANDBY_SIGNAL)),
                Files.exists(data.resolve(AgentSteps.RECOVERY_SIGNAL)), LogTail.lastLines(config.logFile(), LOG_LINES));
    }

    /** The input is checked by the caller; file names are computed here, never taken from the request. */
    WalCheck walCheck(int timeline, long from, long to) {
        Long segmentBytes = tools.controlData().segmentBytes();
        if (segmentBytes == null) {
            throw AgentProblem.refused("pg_controldata gave no 'Bytes per WAL segment' for " + config.dataDirectory());
        }
        List<String> needed;
        try {
            needed = WalSegments.covering(timeline, from, to, segmentBytes);
        } catch (IllegalArgumentException e) {
            throw new io.pgbluegreen.api.BadRequest("from, to: " + e.getMessage());
        }
        Path wal = config.data().resolve("pg_wal");
        List<String> missing = needed.stream().filter(name -> !Files.isRegularFile(wal.resolve(name))).toList();
        return new WalCheck(segmentBytes, needed, missing);
    }
}
