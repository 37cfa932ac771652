package io.pgbluegreen.agent;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Attack 4: a running host agent probed by someone on the network, and an operator's edit of patroni.yml while the
 * net is held. The agents have their OWN token (pg-bluegreen.patroni.demo.agent-token-file), not the daemon's.
 * Probes: no token, a wrong token, the daemon's API token, Basic auth, bodies with an extra field, xid 0 / negative /
 * huge / a string / a fraction, "exclude": "yes" / 1 / "true", traversal paths; POST /patroni/tags on an agent
 * without patroni-config (409). Every answer is collected; the test fails on the first that is not the expected one,
 * after printing them all. Then a net is held on node2, the operator edits node2's patroni.yml (a line at the top,
 * a tag in their own tags section, a key appended after the net's block), the net is released: the file must be
 * exactly the operator's edited file without the block.
 * <p>FAILS (low severity, needs the agent token): {"xid": 99999999999999999999999} (beyond a long) and {"xid": 12.5}
 * get past the body validation: the agent answers 409 "PostgreSQL is running ..." instead of 400; on a stopped
 * server they would start a recovery to a wrapped / truncated xid (the big one wraps to a positive long if read as
 * BigInteger.longValue(): 200376420520689663). Everything else held: no token, a wrong token, the daemon's API
 * token, Basic auth: 401 (on /agent/v1/status, /patroni/stop, /health, traversal paths); with the agent's token
 * traversal paths 404; extra fields, xid 0 / -5 / "1234" / "1234; rm -rf /" / [1234], "exclude": "yes" / 1 /
 * "true", {"command": ...}: 400 naming the field; patroni.yml untouched by every probe; wal/check over 2^39
 * segments: 400; an agent without patroni-config: 409 "this agent has no pg-bluegreen.agent.patroni-config: it
 * cannot tag the member". The operator's edit of patroni.yml while the net was held (a line on top, a tag in their
 * own tags section, a key after the net's block): the release (200, "tags removed") gave back exactly the edited file
 * minus the block.
 */
class AgentProbesIT {
    private static final String AGENT_TOKEN = "agent-only-token-0123456789";

    @Test
    void probesAndAnEditedPatroniYml() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbga2pr", 2);
             PatroniAgents agents = PatroniAgents.start(cluster, AGENT_TOKEN)) {
            String base = agents.client("node2", AGENT_TOKEN).baseUrl();
            Path dir = Files.createTempDirectory("pgbg-atk2-probe");
            Path ca = Path.of((String) agents.daemonProperties("demo").get("pg-bluegreen.patroni.demo.agent-ca-file"));
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5)).build();
            List<String> wrong = new ArrayList<>();
            Path yml = cluster.patroniConfigFile("node2");
            String ymlBefore = Files.readString(yml);

            expect(wrong, http, "GET", base + "/agent/v1/status", null, null, 401);
            expect(wrong, http, "GET", base + "/agent/v1/status", "Bearer nope", null, 401);
            expect(wrong, http, "GET", base + "/agent/v1/status", "Bearer " + Daemon.TOKEN, null, 401);
            expect(wrong, http, "GET", base + "/agent/v1/status", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("x:" + AGENT_TOKEN).getBytes()), null, 401);
            expect(wrong, http, "POST", base + "/agent/v1/patroni/stop", "Bearer " + Daemon.TOKEN, "{}", 401);
            expect(wrong, http, "GET", base + "/agent/v1/status", "Bearer " + AGENT_TOKEN, null, 200);
            expect(wrong, http, "GET", base + "/health", null, null, 401);
            expect(wrong, http, "GET", base + "/agent/v1/%2e%2e/%2e%2e/etc/passwd", null, null, 401);
            expect(wrong, http, "GET", base + "/agent/v1/%2e%2e/%2e%2e/etc/passwd", "Bearer " + AGENT_TOKEN, null, 404);
            expect(wrong, http, "GET", base + "/agent/v1/..%2f..%2f..%2fetc%2fpasswd", "Bearer " + AGENT_TOKEN, null, 404);
            String auth = "Bearer " + AGENT_TOKEN;
            // node2's PostgreSQL runs: a recover that got past validation answers 409 "PostgreSQL is running" (no harm)
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": 1234, \"extra\": 1}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": 0}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": -5}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": 99999999999999999999999}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": \"1234\"}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": 12.5}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": \"1234; rm -rf /\"}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "{\"xid\": 9223372036854775807}", 409);
            expect(wrong, http, "POST", base + "/agent/v1/postgres/recover", auth, "[1234]", 400);
            expect(wrong, http, "POST", base + "/agent/v1/patroni/tags", auth, "{\"exclude\": \"yes\"}", 400);
            check(wrong, yml, ymlBefore, agents);
            expect(wrong, http, "POST", base + "/agent/v1/patroni/tags", auth, "{\"exclude\": 1}", 400);
            check(wrong, yml, ymlBefore, agents);
            expect(wrong, http, "POST", base + "/agent/v1/patroni/tags", auth, "{\"exclude\": \"true\"}", 400);
            check(wrong, yml, ymlBefore, agents);
            expect(wrong, http, "POST", base + "/agent/v1/patroni/tags", auth, "{\"exclude\": true, \"file\": \"/etc/passwd\"}", 400);
            check(wrong, yml, ymlBefore, agents);
            expect(wrong, http, "POST", base + "/agent/v1/patroni/stop", auth, "{\"command\": \"/bin/sh\"}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/wal/check", auth,
                    "{\"timeline\": 1, \"from\": \"0/0\", \"to\": \"FFFFFFFF/FFFFFFFF\"}", 400);
            expect(wrong, http, "POST", base + "/agent/v1/wal/check", auth,
                    "{\"timeline\": 1, \"from\": \"0/0\", \"to\": \"7FFFFFFF/0\"}", 400);

            // an agent without patroni-config
            Path noConfig = dir.resolve("token");
            Files.writeString(noConfig, AGENT_TOKEN + "\n");
            Map<String, Object> p = new HashMap<>();
            int port = FreePort.next();
            p.put("micronaut.server.port", port);
            p.put("micronaut.server.host", "127.0.0.1");
            p.put("pg-bluegreen.api.token-file", noConfig.toString());
            p.put("pg-bluegreen.agent.enabled", true);
            p.put("pg-bluegreen.agent.allow-plain-http-on-loopback", true);
            p.put("pg-bluegreen.agent.data-directory", cluster.dataDirectory("node2").toString());
            p.put("pg-bluegreen.agent.bin-directory", cluster.binDirectory().toString());
            p.put("pg-bluegreen.agent.stop-patroni", cluster.stopPatroniCommand("node2"));
            p.put("pg-bluegreen.agent.start-patroni", cluster.startPatroniCommand("node2"));
            if (OsUser.isRoot()) {
                p.put("pg-bluegreen.agent.os-user", OsUser.SERVER_USER);
            }
            try (EmbeddedServer bare = ApplicationContext.run(EmbeddedServer.class, p)) {
                HttpClient plain = HttpClient.newHttpClient();
                expect(wrong, plain, "POST", "http://127.0.0.1:" + port + "/agent/v1/patroni/tags", auth, "{\"exclude\": true}", 409);
            } catch (RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                System.out.println("agent without patroni-config did not start: " + e + " / " + root);
                wrong.add("agent without patroni-config did not start: " + e);
            }
            check(wrong, yml, ymlBefore, agents);

            // the operator edits patroni.yml while the net is held; release must give back exactly their edit
            Path journal = dir.resolve("journal.jsonl");
            Daemon.Config config = Daemon.config()
                    .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                    .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                    .deployment("net", "node1", "node2", "patroni")
                    .set("pg-bluegreen.deployments.net.patroni-cluster", "demo")
                    .set("pg-bluegreen.journal.path", journal.toString());
            agents.daemonProperties("demo").forEach(config::set);
            try (Daemon daemon = config.start()) {
                HttpResponse<String> held = daemon.post("/deployments/net/safety-net", "{\"member\":\"node2\"}");
                System.out.println("hold: " + held.statusCode() + " " + held.body());
                assertEquals(201, held.statusCode(), held.body());
                String heldFile = Files.readString(yml);
                int begin = heldFile.indexOf("\n# BEGIN pg-bluegreen");
                String operators = heldFile.substring(0, begin);
                String block = heldFile.substring(begin);
                String edited = "# edited by ops while the net was held\n" + operators.replaceFirst("(?m)^postgresql:\n",
                        "tags:\n  clonefrom: true\npostgresql:\n") + block + "watchdog:\n  mode: 'off'\n";
                Files.writeString(yml, edited);
                String expected = "# edited by ops while the net was held\n" + operators.replaceFirst("(?m)^postgresql:\n",
                        "tags:\n  clonefrom: true\npostgresql:\n") + "\nwatchdog:\n  mode: 'off'\n";
                HttpResponse<String> released = daemon.delete("/deployments/net/safety-net");
                System.out.println("release: " + released.statusCode() + " " + released.body());
                String after = Files.readString(yml);
                System.out.println("--- after release ---\n" + after + "--- expected ---\n" + expected + "---");
                if (!after.equals(expected) && !after.equals(expected.replace("\nwatchdog", "watchdog"))) {
                    wrong.add("release did not give back the operator's edited file minus the block");
                }
            }
            System.out.println("WRONG: " + wrong);
            assertEquals(List.of(), wrong);
        }
    }

    private static void check(List<String> wrong, Path yml, String before, PatroniAgents agents) throws Exception {
        String now = Files.readString(yml);
        if (!now.equals(before)) {
            wrong.add("patroni.yml changed by a probe: " + now.substring(before.length() > now.length() ? 0 : before.length()));
            agents.client("node2", AGENT_TOKEN).tags(false);
        }
    }

    private static void expect(List<String> wrong, HttpClient http, String method, String url, String authorization,
                               String body, int status) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String got;
        int code;
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            code = r.statusCode();
            got = r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
        } catch (Exception e) {
            code = -1;
            got = "no answer: " + e;
        }
        String line = method + " " + url.replaceAll("https?://127.0.0.1:\\d+", "") + " auth=" + (authorization == null ? "none"
                : authorization.substring(0, Math.min(12, authorization.length()))) + " body=" + body + " -> "
                + (got.length() > 300 ? got.substring(0, 300) : got);
        System.out.println("PROBE " + line);
        if (code != status) {
            wrong.add("expected " + status + ": " + line);
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
