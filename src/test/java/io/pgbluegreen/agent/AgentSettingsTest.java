package io.pgbluegreen.agent;

import io.pgbluegreen.config.Loopback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's start check: one message per problem, naming its key; and what counts as loopback. */
class AgentSettingsTest {
    private Path dir;
    private Path data;
    private Path bin;
    private Path token;

    @BeforeEach
    void files() throws Exception {
        dir = Files.createTempDirectory("agent-settings");
        data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "16\n");
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("pg_ctl", "pg_controldata", "postgres")) {
            Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
            bin.resolve(tool).toFile().setExecutable(true);
        }
        token = dir.resolve("token");
        Files.writeString(token, "secret\n");
    }

    @AfterEach
    void cleanUp() {
        io.pgbluegreen.fixture.OsUser.deleteTree(dir);
    }

    private AgentConfig config(String dataDir, String binDir, List<String> stop, String osUser, Boolean plain) {
        return new AgentConfig(true, dataDir, binDir, stop, List.of("systemctl", "start", "patroni"), osUser,
                null, plain, null);
    }

    private static final AgentSettings.Server HTTPS = new AgentSettings.Server(true, "0.0.0.0", "file:/etc/agent.p12", false);

    @Test
    void aCompleteHttpsAgentHasNoProblem() {
        assertEquals(List.of(), AgentSettings.problems(config(data.toString(), bin.toString(),
                List.of("systemctl", "stop", "patroni"), "postgres", null), token.toString(), HTTPS, true, "root"));
        assertEquals(List.of(), AgentSettings.problems(config(data.toString(), bin.toString(),
                List.of("/bin/true"), null, null), token.toString(), HTTPS, false, "postgres"));
    }

    @Test
    void everyProblemNamesItsKey() throws Exception {
        Files.delete(data.resolve("PG_VERSION"));
        Files.delete(bin.resolve("pg_controldata"));
        List<String> problems = AgentSettings.problems(config(data.toString(), bin.toString(), List.of(), null, null),
                null, new AgentSettings.Server(false, "127.0.0.1", null, false), true, "root");
        assertEquals(List.of(
                "pg-bluegreen.agent.data-directory: " + data + " has no PG_VERSION (not a PostgreSQL data directory)",
                "pg-bluegreen.agent.bin-directory: no executable pg_controldata in " + bin,
                "pg-bluegreen.agent.stop-patroni: missing (an argument list, e.g. [systemctl, stop, patroni])",
                "pg-bluegreen.agent.os-user: missing (the agent runs as root, and PostgreSQL refuses to: name the account"
                        + " that owns the data directory, e.g. postgres)",
                "pg-bluegreen.api.token-file: missing (the agent refuses every call without this bearer token)",
                "micronaut.server.ssl.enabled: the agent serves HTTPS only (set micronaut.server.ssl.enabled: true and"
                        + " micronaut.server.ssl.key-store.*), or, for a loopback-only agent,"
                        + " pg-bluegreen.agent.allow-plain-http-on-loopback: true"), problems);
    }

    @Test
    void plainHttpOnlyOnLoopbackAndOnlyWhenAllowed() {
        AgentConfig plain = config(data.toString(), bin.toString(), List.of("/bin/true"), null, true);
        assertEquals(List.of(), AgentSettings.problems(plain, token.toString(),
                new AgentSettings.Server(false, "127.0.0.1", null, false), false, "postgres"));
        assertEquals(List.of("micronaut.server.host: plain HTTP (pg-bluegreen.agent.allow-plain-http-on-loopback) is only"
                        + " served on a loopback address (127.0.0.0/8 or ::1), not '0.0.0.0'"),
                AgentSettings.problems(plain, token.toString(), new AgentSettings.Server(false, "0.0.0.0", null, false), false, "postgres"));
        assertEquals(List.of("micronaut.server.host: plain HTTP (pg-bluegreen.agent.allow-plain-http-on-loopback) is only"
                        + " served on a loopback address (127.0.0.0/8 or ::1), not on every interface (host unset)"),
                AgentSettings.problems(plain, token.toString(), new AgentSettings.Server(false, null, null, false), false, "postgres"));
    }

    @Test
    void relativePathsAListInOneStringATooShortTimeoutAndAnEmptyToken() throws Exception {
        Files.writeString(token, "\n");
        AgentConfig odd = new AgentConfig(true, "data", bin.toString(), List.of("systemctl stop patroni"),
                List.of("/bin/true"), "postgres", Duration.ofSeconds(1), null, "/nonexistent/patroni.yml");
        assertEquals(List.of("pg-bluegreen.agent.data-directory: 'data' is not an absolute path",
                "pg-bluegreen.agent.stop-patroni: 'systemctl stop patroni' is one argument with spaces: give a list,"
                        + " e.g. [systemctl, stop, patroni] (no shell runs it)",
                "pg-bluegreen.agent.patroni-config: /nonexistent/patroni.yml is not a file (Patroni's configuration file)",
                "pg-bluegreen.agent.os-user: 'postgres' needs the agent to run as root (it runs as 'app'); leave os-user"
                        + " unset to run PostgreSQL's tools as 'app'",
                "pg-bluegreen.agent.command-timeout: must be a duration of at least 5s, such as 120s",
                "pg-bluegreen.api.token-file: " + token + " is empty"),
                AgentSettings.problems(odd, token.toString(), HTTPS, false, "app"));
    }

    @Test
    void loopbackMeansAnAddressLiteralIn127Slash8OrColonColon1() {
        for (String host : List.of("127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1")) {
            assertTrue(Loopback.isLoopback(host), host);
        }
        for (String host : List.of("0.0.0.0", "::", "10.0.0.1", "localhost", "", " ", "128.0.0.1", "127.0.0.256", "example.com")) {
            assertFalse(Loopback.isLoopback(host), host);
        }
        assertFalse(Loopback.isLoopback(null));
    }
}
