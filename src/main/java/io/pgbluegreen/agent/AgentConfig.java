package io.pgbluegreen.agent;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code pg-bluegreen.agent.*}: the host agent's settings, validated at start by {@link AgentStartupCheck}. The
 * commands are argument lists run without a shell; nothing a request carries ever becomes part of a command.
 */
@ConfigurationProperties("pg-bluegreen.agent")
@Requires(property = AgentConfig.ENABLED, value = "true")
public record AgentConfig(@Nullable Boolean enabled,
                          @Nullable String dataDirectory,
                          @Nullable String binDirectory,
                          @Nullable List<String> stopPatroni,
                          @Nullable List<String> startPatroni,
                          @Nullable String osUser,
                          @Nullable Duration commandTimeout,
                          @Nullable Boolean allowPlainHttpOnLoopback,
                          @Nullable String patroniConfig) {
    public static final String PREFIX = "pg-bluegreen.agent.";
    public static final String ENABLED = "pg-bluegreen.agent.enabled";
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(120);
    /** Where PostgreSQL started by the agent logs (pg_ctl -l), inside the data directory it manages. */
    static final String LOG_FILE = "pg_bluegreen_agent.log";

    public Duration timeout() {
        return commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : commandTimeout;
    }

    public boolean plainHttpAllowed() {
        return Boolean.TRUE.equals(allowPlainHttpOnLoopback);
    }

    Path data() {
        return Path.of(dataDirectory);
    }

    Path tool(String name) {
        return Path.of(binDirectory).resolve(name);
    }

    Path logFile() {
        return data().resolve(LOG_FILE);
    }
}
