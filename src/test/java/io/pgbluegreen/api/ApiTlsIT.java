package io.pgbluegreen.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgbluegreen.agent.AgentCertificates;
import io.pgbluegreen.config.PemCertificates;
import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's API over HTTPS (a CA and a server certificate made by openssl now, as for the agent): served on
 * micronaut.server.port, read and written by a client that trusts only that CA, refused by a client that trusts
 * another; and the one WARN a plain-HTTP listener beyond loopback logs at start (none on 127.0.0.1, none with TLS).
 * The targets point at a port nobody listens on: the daemon starts (an unreachable target is not a configuration
 * error) and a dry-run cutover answers the gate's verdict, which is enough to show the token went through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTlsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private Path dir;
    private AgentCertificates certs;
    private final Logger warningLog = (Logger) LoggerFactory.getLogger(PlainHttpWarning.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeAll
    void certificates() throws Exception {
        dir = Files.createTempDirectory("api-tls-it");
        certs = AgentCertificates.create(dir);
    }

    @AfterAll
    void removeCertificates() {
        OsUser.deleteTree(dir);
    }

    @BeforeEach
    void capture() {
        captured.start();
        warningLog.addAppender(captured);
    }

    @AfterEach
    void stopCapturing() {
        warningLog.detachAppender(captured);
        captured.stop();
        captured.list.clear();
    }

    /** Two unreachable targets and one physical deployment: accepted, sampled as down. */
    private Daemon.Config config(String host, int port) {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + FreePort.next() + "/postgres";
        return Daemon.config().target("blue", nowhere, "pgbg", "secret").target("green", nowhere, "pgbg", "secret")
                .physical("upgrade", "blue", "green")
                .set("micronaut.server.host", host)
                .set("micronaut.server.port", port);
    }

    private Daemon.Config tls(Daemon.Config config) {
        return config.set("micronaut.server.ssl.enabled", true)
                .set("micronaut.server.ssl.key-store.path", "file:" + certs.keyStore())
                .set("micronaut.server.ssl.key-store.password", certs.password())
                .set("micronaut.server.ssl.key-store.type", "PKCS12");
    }

    private static HttpClient trusting(Path caPem) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<X509Certificate> cas = PemCertificates.read(caPem);
        for (int i = 0; i < cas.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build();
    }

    private static HttpResponse<String> post(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> warningsAbout(int port) {
        return captured.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(":" + port + ",") || m.contains("port " + port + ","))
                .toList();
    }

    @Test
    void servesHttpsOnServerPortToAClientTrustingItsCaOnly() throws Exception {
        int port = FreePort.next();
        int sslPort = FreePort.next();
        assertNotEquals(port, sslPort);
        // bound on every interface: with TLS that is fine, and logs no warning
        try (Daemon daemon = tls(config("0.0.0.0", port)).set("micronaut.server.ssl.port", sslPort).start()) {
            assertEquals("https", daemon.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class).getScheme());
            assertEquals(port, daemon.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class).getPort(),
                    "the https listener binds micronaut.server.port, not ssl.port");
            String url = "https://127.0.0.1:" + port;
            HttpClient http = trusting(certs.caPem());

            HttpResponse<String> deployments = http.send(HttpRequest.newBuilder(URI.create(url + "/deployments"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deployments.statusCode(), deployments.body());
            assertTrue(deployments.body().contains("\"upgrade\""), deployments.body());

            String cutover = url + "/deployments/upgrade/cutover?dryRun=true";
            HttpResponse<String> unauthorized = post(http, cutover, null);
            assertEquals(401, unauthorized.statusCode(), unauthorized.body());
            HttpResponse<String> wrong = post(http, cutover, "Bearer wrong-token");
            assertEquals(401, wrong.statusCode(), wrong.body());
            // the token is accepted: the dry run answers its plan and the gate's verdict (not ready: sides unreachable)
            HttpResponse<String> dryRun = post(http, cutover, "Bearer " + Daemon.TOKEN);
            assertEquals(200, dryRun.statusCode(), dryRun.body());
            assertTrue(dryRun.body().contains("\"dryRun\":true") && dryRun.body().contains("\"ready\":false"), dryRun.body());

            HttpClient stranger = trusting(certs.otherCaPem());
            IOException handshake = assertThrows(IOException.class, () -> stranger.send(
                    HttpRequest.newBuilder(URI.create(url + "/deployments")).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertTrue(handshake instanceof SSLHandshakeException || handshake.getCause() instanceof SSLHandshakeException,
                    "expected a TLS handshake failure, got " + handshake);

            HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/deployments")).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString()),
                    "no plain HTTP next to https");
            assertEquals(List.of(), warningsAbout(port));
        }
    }

    @Test
    void plainHttpBeyondLoopbackLogsOneWarning() {
        int port = FreePort.next();
        try (Daemon daemon = config("0.0.0.0", port).start()) {
            assertEquals(200, daemon.get("/deployments").statusCode());
            List<String> warnings = warningsAbout(port);
            assertEquals(1, warnings.size(), captured.list.toString());
            String warning = warnings.get(0);
            assertTrue(warning.contains("plain HTTP on 0.0.0.0:" + port), warning);
            assertTrue(warning.contains("bearer token") && warning.contains("in clear"), warning);
            assertTrue(warning.contains("micronaut.server.ssl.enabled: true"), warning);
        }
    }

    @Test
    void plainHttpOnLoopbackLogsNothing() {
        int port = FreePort.next();
        try (Daemon daemon = config("127.0.0.1", port).start()) {
            assertEquals(200, daemon.get("/deployments").statusCode());
            assertEquals(List.of(), captured.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList());
        }
    }
}
