package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own tools (pg_ctl, pg_controldata) from the configured bin directory, run as the data directory's
 * owner ({@code runuser -u <os-user> --}) when the agent is root, with the data directory as working directory.
 */
@Singleton
@Requires(property = AgentConfig.ENABLED, value = "true")
class PgTools {
    /** pg_ctl status: 0 running, 3 not running (4: no accessible data directory). */
    private static final int PG_CTL_NOT_RUNNING = 3;
    private static final Pattern PID = Pattern.compile("PID: (\\d+)");
    private final AgentConfig config;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    PgTools(AgentConfig config) {
        this.config = config;
    }

    record Running(boolean running, Long pid, CommandResult result) {
    }

    Running status() {
        CommandResult result = run(Duration.ofSeconds(Math.min(30, config.timeout().toSeconds())),
                "pg_ctl", "status", "-D", config.dataDirectory());
        if (result.exitCode() == 0) {
            Matcher pid = PID.matcher(result.output());
            return new Running(true, pid.find() ? Long.parseLong(pid.group(1)) : null, result);
        }
        if (result.exitCode() == PG_CTL_NOT_RUNNING) {
            return new Running(false, null, result);
        }
        throw AgentProblem.failed(result, "");
    }

    /** Empty values when pg_control cannot be read: the status still answers. */
    ControlData controlData() {
        CommandResult result = run(Duration.ofSeconds(Math.min(30, config.timeout().toSeconds())),
                "pg_controldata", "-D", config.dataDirectory());
        return result.exitCode() == 0 ? ControlData.parse(result.output()) : new ControlData(java.util.Map.of());
    }

    /** pg_ctl's own wait (-t), a little shorter than the process timeout so that pg_ctl says what it waited for. */
    String waitSeconds() {
        return String.valueOf(Math.max(1, config.timeout().toSeconds() - 5));
    }

    CommandResult run(Duration timeout, String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (root && config.osUser() != null && !config.osUser().isBlank()) {
            command.addAll(List.of("runuser", "-u", config.osUser(), "--"));
        }
        command.add(config.tool(tool).toString());
        command.addAll(List.of(args));
        return CommandRunner.run(command, timeout, config.data());
    }

    CommandResult run(String tool, String... args) {
        return run(config.timeout(), tool, args);
    }

    boolean asOsUser() {
        return root && config.osUser() != null && !config.osUser().isBlank();
    }
}
