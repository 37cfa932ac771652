package io.pgbluegreen.agent;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.patroni.PatroniCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host agent beside each member of a test Patroni cluster, over HTTPS with a CA made at test time, each running
 * that member's Patroni start and stop commands and managing its data directory, as on a real host.
 */
public final class PatroniAgents implements AutoCloseable {
    private final Path dir;
    private final AgentCertificates certs;
    private final Map<String, EmbeddedServer> agents = new LinkedHashMap<>();
    private Path tokenFile;

    private PatroniAgents(Path dir, AgentCertificates certs) {
        this.dir = dir;
        this.certs = certs;
    }

    /** One agent per member of {@code cluster}, accepting {@code token}. */
    public static PatroniAgents start(PatroniCluster cluster, String token) throws IOException {
        return start(cluster, token, Map.of());
    }

    /** The same, with agent settings of the test's own ({@code extra} wins, e.g. a shorter command timeout). */
    public static PatroniAgents start(PatroniCluster cluster, String token, Map<String, Object> extra) throws IOException {
        Path dir = Files.createTempDirectory("patroni-agents");
        PatroniAgents agents = new PatroniAgents(dir, AgentCertificates.create(dir));
        try {
            Path tokenFile = dir.resolve("agent.token");
            Files.writeString(tokenFile, token + "\n");
            agents.tokenFile = tokenFile;
            for (String member : cluster.memberNames()) {
                Map<String, Object> properties = agents.properties(cluster, member, tokenFile);
                properties.putAll(extra);
                agents.agents.put(member, ApplicationContext.run(EmbeddedServer.class, properties));
            }
            return agents;
        } catch (RuntimeException | IOException e) {
            agents.close();
            throw e;
        }
    }

    private Map<String, Object> properties(PatroniCluster cluster, String member, Path tokenFile) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", FreePort.next());
        p.put("micronaut.server.host", "127.0.0.1");
        p.put("micronaut.server.ssl.enabled", true);
        p.put("micronaut.server.ssl.key-store.path", "file:" + certs.keyStore());
        p.put("micronaut.server.ssl.key-store.password", certs.password());
        p.put("micronaut.server.ssl.key-store.type", "PKCS12");
        p.put("pg-bluegreen.api.token-file", tokenFile.toString());
        p.put("pg-bluegreen.agent.enabled", true);
        p.put("pg-bluegreen.agent.data-directory", cluster.dataDirectory(member).toString());
        p.put("pg-bluegreen.agent.bin-directory", cluster.binDirectory().toString());
        p.put("pg-bluegreen.agent.stop-patroni", cluster.stopPatroniCommand(member));
        p.put("pg-bluegreen.agent.start-patroni", cluster.startPatroniCommand(member));
        p.put("pg-bluegreen.agent.patroni-config", cluster.patroniConfigFile(member).toString());
        if (OsUser.isRoot()) {
            p.put("pg-bluegreen.agent.os-user", OsUser.SERVER_USER);
        }
        return p;
    }

    /** The daemon's keys for these agents in Patroni cluster {@code clusterName}. */
    public Map<String, Object> daemonProperties(String clusterName) {
        Map<String, Object> p = new HashMap<>();
        p.put("pg-bluegreen.patroni." + clusterName + ".agent-ca-file", certs.caPem().toString());
        p.put("pg-bluegreen.patroni." + clusterName + ".agent-token-file", tokenFile.toString());
        agents.forEach((member, server) -> p.put("pg-bluegreen.patroni." + clusterName + ".agents." + member,
                "https://127.0.0.1:" + server.getPort()));
        return p;
    }

    /** Attack support: stops the agent of {@code member} (its host loses the agent, the member keeps running). */
    public void stopAgent(String member) {
        EmbeddedServer server = agents.get(member);
        if (server != null) {
            server.stop();
        }
    }

    /** Attack support: a client to the agent of {@code member}, as the daemon builds it (by hand, as an operator would). */
    public AgentClient client(String member, String token) {
        return new AgentClient(member, "https://127.0.0.1:" + agents.get(member).getPort(), certs.caPem(), token,
                java.time.Duration.ofMinutes(3));
    }

    @Override
    public void close() {
        agents.values().forEach(server -> {
            try {
                server.close();
            } catch (RuntimeException e) {
                // close the others
            }
        });
        OsUser.deleteTree(dir);
    }
}
