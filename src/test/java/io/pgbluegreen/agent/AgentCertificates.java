package io.pgbluegreen.agent;

import io.pgbluegreen.fixture.Exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A CA and an agent certificate signed by it (SAN IP:127.0.0.1, DNS:localhost) in a PKCS12 key store, made with
 * openssl at test time; plus a second CA that signed nothing the agent presents.
 */
public record AgentCertificates(Path dir, Path caPem, Path otherCaPem, Path keyStore, String password) {
    private static final Duration OPENSSL = Duration.ofSeconds(60);

    public static AgentCertificates create(Path dir) throws IOException {
        String password = "agent-keystore-pass";
        ca(dir, "ca", "pg-bluegreen test agent CA");
        ca(dir, "other-ca", "some other CA");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("server.key").toString(),
                "-out", dir.resolve("server.csr").toString(), "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("ca.pem").toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", dir.resolve("server.pem").toString(), "-extfile", ext.toString());
        openssl("pkcs12", "-export", "-in", dir.resolve("server.pem").toString(),
                "-inkey", dir.resolve("server.key").toString(), "-certfile", dir.resolve("ca.pem").toString(),
                "-name", "agent", "-out", dir.resolve("agent.p12").toString(), "-passout", "pass:" + password);
        return new AgentCertificates(dir, dir.resolve("ca.pem"), dir.resolve("other-ca.pem"), dir.resolve("agent.p12"), password);
    }

    private static void ca(Path dir, String name, String subject) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".pem").toString(), "-days", "2", "-subj", "/CN=" + subject,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void openssl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Exec.run(command, OPENSSL);
    }
}
