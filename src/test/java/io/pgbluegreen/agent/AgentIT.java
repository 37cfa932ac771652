package io.pgbluegreen.agent;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.pgbluegreen.config.InvalidConfigurationException;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.journal.Journal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host agent in-process over real HTTPS (certificates made by openssl now), managing a real streaming standby:
 * who may call it, what it runs, stop and start from postmaster.opts, the WAL check, and a real point-in-time
 * recovery to a transaction, promoted by the caller over SQL. The methods run in order on one standby; the
 * recovery, which promotes it, comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {
    private static final String TOKEN = "agent-test-token-0123456789";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAJOR = 15;
    private Path dir;
    private AgentCertificates certs;
    private Path tokenFile;
    private PgServer primary;
    private PgServer standby;
    private int agentPort;
    private int configuredSslPort;
    private EmbeddedServer agent;
    private AgentClient client;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("agent-it");
        certs = AgentCertificates.create(dir);
        tokenFile = dir.resolve("api.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        primary = PgServer.start("agent-primary", MAJOR);
        primary.execute("postgres", "CREATE TABLE marks (id int PRIMARY KEY, note text)");
        standby = PgServer.startStandby("agent-standby", primary, "agent_standby");
        awaitReplayed();
        runFromPostmasterOptsOnly();
        agentPort = FreePort.next();
        configuredSslPort = FreePort.next();
        Map<String, Object> properties = agentProperties(agentPort);
        // what Micronaut alone would bind: the agent takes micronaut.server.port instead
        properties.put("micronaut.server.ssl.port", configuredSslPort);
        agent = ApplicationContext.run(EmbeddedServer.class, properties);
        client = new AgentClient("pg-standby", "https://127.0.0.1:" + agentPort, certs.caPem(), TOKEN, TIMEOUT,
                Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        try (PgServer p = primary; PgServer s = standby; EmbeddedServer a = agent; AgentClient c = client) {
            // closed in reverse order, each even when another fails
        } finally {
            OsUser.deleteTree(dir);
        }
    }

    /**
     * The standby runs as Patroni runs it: port and listen address on the command line only. postgresql.conf names
     * another port, so a start that ignored postmaster.opts would come up elsewhere.
     */
    private void runFromPostmasterOptsOnly() throws Exception {
        standby.stop();
        int decoy = FreePort.next();
        Files.writeString(standby.dataDir().resolve("postgresql.conf"), "\nport = " + decoy + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Exec.run(OsUser.asServerUser(List.of(PgDistribution.tool(MAJOR, "pg_ctl").toString(), "-D",
                standby.dataDir().toString(), "-l", standby.logFile().toString(), "-w", "-t", "60",
                "-o", "--port=" + standby.port() + " --listen_addresses=127.0.0.1 --hot_standby=on", "start")),
                Duration.ofSeconds(90));
        assertTrue(Files.readString(standby.dataDir().resolve("postmaster.opts")).contains("\"--port=" + standby.port() + "\""));
    }

    private Map<String, Object> agentProperties(int port) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", port);
        p.put("micronaut.server.host", "127.0.0.1");
        p.put("micronaut.server.ssl.enabled", true);
        p.put("micronaut.server.ssl.key-store.path", "file:" + certs.keyStore());
        p.put("micronaut.server.ssl.key-store.password", certs.password());
        p.put("micronaut.server.ssl.key-store.type", "PKCS12");
        p.put("pg-bluegreen.agent.enabled", true);
        p.put("pg-bluegreen.agent.data-directory", standby.dataDir().toString());
        p.put("pg-bluegreen.agent.bin-directory", PgDistribution.binDir(MAJOR).toString());
        p.put("pg-bluegreen.agent.stop-patroni", List.of("/bin/true"));
        p.put("pg-bluegreen.agent.start-patroni", List.of("/bin/sh", "-c", "echo 'patroni.service not found' >&2; exit 5"));
        p.put("pg-bluegreen.agent.command-timeout", "50s");
        if (OsUser.isRoot()) {
            p.put("pg-bluegreen.agent.os-user", OsUser.SERVER_USER);
        }
        p.put("pg-bluegreen.api.token-file", tokenFile.toString());
        p.put("pg-bluegreen.metrics.jmx", false);
        return p;
    }

    @Test
    @Order(1)
    void servesHttpsOnServerPortToAClientTrustingItsCaAndRunsNoDaemonBean() throws Exception {
        assertEquals(agentPort, agent.getPort(), "the https listener binds micronaut.server.port");
        assertNotEquals(agentPort, configuredSslPort);
        assertEquals("https", agent.getScheme());
        AgentStatus status = client.status();
        assertEquals(standby.dataDir().toString(), status.dataDirectory());
        assertTrue(status.postgresRunning());
        assertNotNull(status.postmasterPid());
        assertEquals("in archive recovery", status.clusterState());
        assertEquals(1, status.timeline());
        assertTrue(status.standbySignal());
        assertFalse(status.recoverySignal());
        assertFalse(agent.getApplicationContext().containsBean(Topology.class));
        assertFalse(agent.getApplicationContext().containsBean(Journal.class));
    }

    @Test
    @Order(2)
    void aClientTrustingAnotherCaRefusesTheAgent() {
        AgentClient stranger = new AgentClient("pg-standby", "https://127.0.0.1:" + agentPort, certs.otherCaPem(), TOKEN,
                TIMEOUT);
        AgentException refused = assertThrows(AgentException.class, stranger::status);
        assertTrue(refused.getMessage().startsWith("agent of member 'pg-standby' at https://127.0.0.1:" + agentPort
                + "/agent/v1/status: TLS failed"), refused.getMessage());
    }

    @Test
    @Order(3)
    void everyCallWithoutTheRightTokenIs401() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(AgentTrust.forCa(certs.caPem())).connectTimeout(TIMEOUT).build();
        List<String[]> calls = List.of(new String[]{"GET", "/agent/v1/status"}, new String[]{"GET", "/health"},
                new String[]{"GET", "/nothing-here"}, new String[]{"POST", "/agent/v1/patroni/stop"},
                new String[]{"POST", "/agent/v1/patroni/start"}, new String[]{"POST", "/agent/v1/postgres/stop"},
                new String[]{"POST", "/agent/v1/postgres/start"}, new String[]{"POST", "/agent/v1/postgres/recover"},
                new String[]{"POST", "/agent/v1/wal/check"}, new String[]{"DELETE", "/agent/v1/status"});
        for (String authorization : new String[]{null, "Bearer wrong-token", "Basic " + TOKEN, "Bearer " + TOKEN + "x", "Bearer "}) {
            for (String[] call : calls) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort + call[1]))
                        .timeout(TIMEOUT).header("Content-Type", "application/json")
                        .method(call[0], call[0].equals("GET") ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{\"xid\": 1}"));
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, response.statusCode(), call[0] + " " + call[1] + " with " + authorization);
                assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            }
        }
        AgentClient wrong = new AgentClient("pg-standby", "https://127.0.0.1:" + agentPort, certs.caPem(), "nope", TIMEOUT);
        AgentException refused = assertThrows(AgentException.class, wrong::status);
        assertEquals("agent of member 'pg-standby' at https://127.0.0.1:" + agentPort
                + "/agent/v1/status: HTTP 401: wrong bearer token", refused.getMessage());
        assertTrue(standby.queryString("postgres", "SELECT pg_is_in_recovery()").equals("t"), "nothing was stopped");
    }

    @Test
    @Order(4)
    void configuredCommandsReportTheirExitAndOutput() {
        CommandResult stopped = assertDoesNotThrow(() -> client.stopPatroni());
        assertEquals(0, stopped.exitCode());
        assertEquals("/bin/true", stopped.command());
        AgentException failed = assertThrows(AgentException.class, client::startPatroni);
        assertTrue(failed.getMessage().contains("/patroni/start: /bin/sh -c echo 'patroni.service not found' >&2; exit 5"
                + " exited 5: patroni.service not found"), failed.getMessage());
    }

    @Test
    @Order(5)
    void badInputIs400NamingTheField() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(AgentTrust.forCa(certs.caPem())).connectTimeout(TIMEOUT).build();
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"xid\": 5, \"restore_command\": \"sh\"}", new String[]{"/agent/v1/postgres/recover", "restore_command: unknown field"});
        cases.put("{\"xid\": -1}", new String[]{"/agent/v1/postgres/recover", "xid: must be positive"});
        cases.put("{\"xid\": \"1\"}", new String[]{"/agent/v1/postgres/recover", "xid: expected a number"});
        cases.put("{}", new String[]{"/agent/v1/postgres/recover", "xid: missing"});
        cases.put("{\"timeline\": 1, \"from\": \"0/3000060\", \"to\": \"../../etc\"}", new String[]{"/agent/v1/wal/check", "to: not an LSN"});
        cases.put("{\"timeline\": 0, \"from\": \"0/1\", \"to\": \"0/2\"}", new String[]{"/agent/v1/wal/check", "timeline: must be a positive number"});
        cases.put("{\"timeline\": 1, \"from\": \"0/5\", \"to\": \"0/2\"}", new String[]{"/agent/v1/wal/check", "from: 0/5 is after to: 0/2"});
        cases.put("{\"command\": [\"rm\"]}", new String[]{"/agent/v1/patroni/stop", "command: unknown field (this call takes none)"});
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort + c.getValue()[0]))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(c.getKey())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), c.getKey() + " -> " + response.body());
            assertTrue(response.body().contains(c.getValue()[1]), c.getKey() + " -> " + response.body());
            assertFalse(response.body().contains("at io."), response.body());
        }
    }

    @Test
    @Order(6)
    void recoveryIsRefusedWhilePostgresRuns() {
        AgentException refused = assertThrows(AgentException.class, () -> client.recover(1000));
        assertTrue(refused.getMessage().contains("HTTP 409: PostgreSQL is running in " + standby.dataDir()), refused.getMessage());
        assertTrue(standby.queryString("postgres", "SELECT pg_is_in_recovery()").equals("t"));
        assertTrue(Files.exists(standby.dataDir().resolve("standby.signal")), "nothing changed");
        AgentException running = assertThrows(AgentException.class, client::startPostgres);
        assertTrue(running.getMessage().contains("HTTP 409: PostgreSQL is already running"), running.getMessage());
    }

    @Test
    @Order(7)
    void walCheckNamesSegmentsAsPostgresDoesAndFindsThoseMissing() throws Exception {
        // some WAL, so that the position is inside a segment (pg_walfile_name names the previous one at a boundary)
        primary.execute("postgres", "CREATE TABLE scratch AS SELECT generate_series(1, 100) AS n");
        String current = primary.queryString("postgres", "SELECT pg_current_wal_lsn()");
        String segment = primary.queryString("postgres", "SELECT pg_walfile_name(pg_current_wal_lsn())");
        awaitReplayed();
        WalCheck present = client.walCheck(1, current, current);
        assertEquals(16L * 1024 * 1024, present.segmentBytes());
        assertEquals(List.of(segment), present.needed());
        assertTrue(present.available(), present.toString());
        long bytes = WalSegments.bytes(current);
        String ahead = Long.toHexString((bytes + 3L * present.segmentBytes()) >>> 32).toUpperCase() + "/"
                + Long.toHexString((bytes + 3L * present.segmentBytes()) & 0xFFFFFFFFL).toUpperCase();
        WalCheck future = client.walCheck(1, current, ahead);
        assertEquals(4, future.needed().size());
        assertEquals(future.needed().subList(1, 4), future.missing());
        WalCheck otherTimeline = client.walCheck(7, current, current);
        assertEquals(List.of("00000007" + segment.substring(8)), otherTimeline.missing());
    }

    @Test
    @Order(8)
    void postgresStopsAndStartsAgainAsItLastRanFromPostmasterOpts() throws Exception {
        CommandResult stopped = client.stopPostgres();
        assertEquals(0, stopped.exitCode());
        assertFalse(client.status().postgresRunning());
        CommandResult again = client.stopPostgres();
        assertEquals(0, again.exitCode());
        assertTrue(again.output().contains("not running"), again.output());
        CommandResult started = client.startPostgres();
        assertEquals(0, started.exitCode(), started.output());
        assertTrue(started.command().contains("-o '--port=" + standby.port() + "' '--listen_addresses=127.0.0.1'"
                + " '--hot_standby=on'"), started.command());
        // the same port as before, although postgresql.conf names another
        assertEquals("t", standby.queryString("postgres", "SELECT pg_is_in_recovery()"));
        AgentStatus status = client.status();
        assertTrue(status.postgresRunning());
        assertFalse(status.serverLogTail().isEmpty(), "the agent's own log of the server it started");
        awaitReplayed();
    }

    @Test
    @Order(9)
    void pointInTimeRecoveryToATransactionThenPromotedOverSql() throws Exception {
        standby.execute("postgres", "SELECT pg_wal_replay_pause()");
        long xid;
        try (Connection c = primary.connect("postgres"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO marks VALUES (1, 'wanted')");
            try (ResultSet r = s.executeQuery("SELECT pg_current_xact_id()::text")) {
                r.next();
                xid = Long.parseLong(r.getString(1));
            }
            c.commit();
            s.execute("INSERT INTO marks VALUES (2, 'too late')");
            c.commit();
        }
        String end = primary.queryString("postgres", "SELECT pg_current_wal_lsn()");
        Await.until(Duration.ofSeconds(30), "the standby to receive everything up to " + end, () ->
                "t".equals(standby.queryString("postgres", "SELECT pg_last_wal_receive_lsn() >= '" + end + "'::pg_lsn")));
        String replayed = standby.queryString("postgres", "SELECT pg_last_wal_replay_lsn()");
        assertTrue(client.walCheck(1, replayed, end).available(), "the WAL to replay is in pg_wal");

        client.stopPostgres();
        CommandResult recovering = client.recover(xid);
        assertTrue(recovering.command().contains("'recovery_target_xid=" + xid + "'"), recovering.command());
        AgentStatus status = client.status();
        assertTrue(status.recoverySignal());
        assertFalse(status.standbySignal());
        Await.until(Duration.ofSeconds(60), "replay to pause at xid " + xid, () ->
                "paused".equals(standby.queryString("postgres", "SELECT pg_get_wal_replay_pause_state()")));
        standby.execute("postgres", "SELECT pg_wal_replay_resume()");
        Await.until(Duration.ofSeconds(60), "the recovered server to be promoted", () ->
                "f".equals(standby.queryString("postgres", "SELECT pg_is_in_recovery()")));
        assertEquals(List.of("1 wanted"), standby.queryList("postgres", "SELECT id || ' ' || note FROM marks ORDER BY id"));
        assertFalse(client.status().recoverySignal(), "promotion removes recovery.signal");
    }

    @Test
    @Order(10)
    void plainHttpIsServedOnlyOnLoopbackWhenAllowedAndNothingStartsWithoutTlsOrAToken() throws Exception {
        Map<String, Object> plain = agentProperties(FreePort.next());
        plain.remove("micronaut.server.ssl.enabled");
        plain.put("pg-bluegreen.agent.allow-plain-http-on-loopback", true);
        plain.put("micronaut.server.host", "0.0.0.0");
        assertStartRefused(plain, "micronaut.server.host: plain HTTP (pg-bluegreen.agent.allow-plain-http-on-loopback)"
                + " is only served on a loopback address (127.0.0.0/8 or ::1), not '0.0.0.0'");

        Map<String, Object> noFlag = agentProperties(FreePort.next());
        noFlag.remove("micronaut.server.ssl.enabled");
        assertStartRefused(noFlag, "micronaut.server.ssl.enabled: the agent serves HTTPS only");

        Map<String, Object> noToken = agentProperties(FreePort.next());
        noToken.remove("pg-bluegreen.api.token-file");
        assertStartRefused(noToken, "pg-bluegreen.api.token-file: missing");

        int port = FreePort.next();
        Map<String, Object> loopback = agentProperties(port);
        loopback.remove("micronaut.server.ssl.enabled");
        loopback.put("pg-bluegreen.agent.allow-plain-http-on-loopback", true);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, loopback);
             AgentClient http = new AgentClient("pg-standby", "http://127.0.0.1:" + port, null, TOKEN, TIMEOUT)) {
            assertEquals(port, server.getPort());
            assertTrue(http.status().postgresRunning());
        }
    }

    private static void assertStartRefused(Map<String, Object> properties, String problem) {
        RuntimeException error = assertThrows(RuntimeException.class, () -> {
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
                server.getPort();
            }
        });
        InvalidConfigurationException invalid = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException found) {
                invalid = found;
            }
        }
        assertNotNull(invalid, "not refused for its configuration: " + error);
        assertTrue(invalid.problems().stream().anyMatch(p -> p.startsWith(problem)), invalid.problems().toString());
    }

    private void awaitReplayed() {
        String lsn = primary.queryString("postgres", "SELECT pg_current_wal_lsn()");
        Await.until(Duration.ofSeconds(30), "the standby to replay up to " + lsn, () ->
                "t".equals(standby.queryString("postgres", "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")));
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> call) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(call);
    }
}
