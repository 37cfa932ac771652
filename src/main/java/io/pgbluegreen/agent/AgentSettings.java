package io.pgbluegreen.agent;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.config.Loopback;
import io.pgbluegreen.config.Secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the agent's configuration and returns one message per problem, each starting with the key it is about.
 * Pure but for the file system: the caller supplies what Micronaut bound and whether we run as root.
 */
final class AgentSettings {
    private AgentSettings() {
    }

    /** What the agent's HTTP server will do, as Micronaut bound it. */
    record Server(boolean sslEnabled, @Nullable String host, @Nullable String keyStorePath, boolean dualProtocol) {
    }

    static List<String> problems(AgentConfig agent, @Nullable String tokenFile, Server server, boolean root,
                                 String currentUser) {
        List<String> problems = new ArrayList<>();
        String p = AgentConfig.PREFIX;
        if (blank(agent.dataDirectory())) {
            problems.add(p + "data-directory: missing (the PostgreSQL data directory this agent manages)");
        } else if (!Path.of(agent.dataDirectory()).isAbsolute()) {
            problems.add(p + "data-directory: '" + agent.dataDirectory() + "' is not an absolute path");
        } else if (!Files.isDirectory(Path.of(agent.dataDirectory()))) {
            problems.add(p + "data-directory: " + agent.dataDirectory() + " is not a directory");
        } else if (!Files.isRegularFile(Path.of(agent.dataDirectory(), "PG_VERSION"))) {
            problems.add(p + "data-directory: " + agent.dataDirectory() + " has no PG_VERSION (not a PostgreSQL data directory)");
        }
        if (blank(agent.binDirectory())) {
            problems.add(p + "bin-directory: missing (PostgreSQL's bin directory, with pg_ctl, pg_controldata and postgres)");
        } else if (!Path.of(agent.binDirectory()).isAbsolute()) {
            problems.add(p + "bin-directory: '" + agent.binDirectory() + "' is not an absolute path");
        } else {
            for (String tool : List.of("pg_ctl", "pg_controldata", "postgres")) {
                if (!Files.isExecutable(Path.of(agent.binDirectory(), tool))) {
                    problems.add(p + "bin-directory: no executable " + tool + " in " + agent.binDirectory());
                }
            }
        }
        commandList(problems, p + "stop-patroni", agent.stopPatroni());
        commandList(problems, p + "start-patroni", agent.startPatroni());
        if (agent.patroniConfig() != null && !Files.isRegularFile(Path.of(agent.patroniConfig()))) {
            problems.add(p + "patroni-config: " + agent.patroniConfig() + " is not a file (Patroni's configuration file)");
        }
        if (root && blank(agent.osUser())) {
            problems.add(p + "os-user: missing (the agent runs as root, and PostgreSQL refuses to: name the account"
                    + " that owns the data directory, e.g. postgres)");
        } else if (!root && !blank(agent.osUser()) && !agent.osUser().equals(currentUser)) {
            problems.add(p + "os-user: '" + agent.osUser() + "' needs the agent to run as root (it runs as '"
                    + currentUser + "'); leave os-user unset to run PostgreSQL's tools as '" + currentUser + "'");
        }
        if (!blank(agent.osUser()) && !agent.osUser().matches("[a-z_][a-z0-9_.-]{0,31}")) {
            problems.add(p + "os-user: '" + agent.osUser() + "' is not a valid user name");
        }
        Duration timeout = agent.timeout();
        if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() < 5) {
            problems.add(p + "command-timeout: must be a duration of at least 5s, such as 120s");
        }
        if (blank(tokenFile)) {
            problems.add("pg-bluegreen.api.token-file: missing (the agent refuses every call without this bearer token)");
        } else {
            try {
                if (Secrets.readFile(tokenFile).isBlank()) {
                    problems.add("pg-bluegreen.api.token-file: " + tokenFile + " is empty");
                }
            } catch (Secrets.SecretUnavailableException e) {
                problems.add("pg-bluegreen.api.token-file: " + e.getMessage());
            }
        }
        if (server.sslEnabled()) {
            if (server.dualProtocol()) {
                problems.add("micronaut.server.dual-protocol: must be false for the agent (it would serve plain HTTP next to HTTPS)");
            }
            if (blank(server.keyStorePath())) {
                problems.add("micronaut.server.ssl.key-store.path: missing (the agent's PKCS12 key store, e.g. file:/etc/pg-bluegreen/agent.p12)");
            }
        } else if (!agent.plainHttpAllowed()) {
            problems.add("micronaut.server.ssl.enabled: the agent serves HTTPS only (set micronaut.server.ssl.enabled: true"
                    + " and micronaut.server.ssl.key-store.*), or, for a loopback-only agent, "
                    + p + "allow-plain-http-on-loopback: true");
        } else if (!Loopback.isLoopback(server.host())) {
            problems.add("micronaut.server.host: plain HTTP (" + p + "allow-plain-http-on-loopback) is only served on a"
                    + " loopback address (127.0.0.0/8 or ::1), not "
                    + (blank(server.host()) ? "on every interface (host unset)" : "'" + server.host() + "'"));
        }
        return problems;
    }

    private static void commandList(List<String> problems, String key, @Nullable List<String> command) {
        if (command == null || command.isEmpty()) {
            problems.add(key + ": missing (an argument list, e.g. [systemctl, stop, patroni])");
        } else if (command.stream().anyMatch(AgentSettings::blank)) {
            problems.add(key + ": has an empty argument");
        } else if (command.size() == 1 && command.get(0).strip().contains(" ")) {
            problems.add(key + ": '" + command.get(0) + "' is one argument with spaces: give a list,"
                    + " e.g. [systemctl, stop, patroni] (no shell runs it)");
        }
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
