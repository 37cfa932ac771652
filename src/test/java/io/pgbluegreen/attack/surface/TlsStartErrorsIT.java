package io.pgbluegreen.attack.surface;

import io.pgbluegreen.agent.AgentCertificates;
import io.pgbluegreen.fixture.Exec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack on the HTTPS setup: the daemon started as an operator starts it (separate JVM, MICRONAUT_CONFIG_FILES) with
 * TLS on and a broken key store. The promise (Application): a start that fails prints one line saying what is wrong,
 * no stack trace, and exits non-zero; it must never come up serving plain HTTP or nothing.
 */
class TlsStartErrorsIT {
    @TempDir
    Path dir;

    private Path config(String ssl) throws IOException {
        Path config = dir.resolve("tls.yml");
        Files.writeString(config, """
                micronaut:
                  server:
                    ssl:
                %s
                pg-bluegreen:
                  targets:
                    blue: {url: "jdbc:postgresql://127.0.0.1:1/postgres", user: monitor}
                  journal: {path: "%s"}
                """.formatted(ssl.indent(6).stripTrailing(), dir.resolve("journal.jsonl")));
        return config;
    }

    private static Exec.Result runDaemon(Path config) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Exec.runAllowingFailure(List.of(java, "-cp", System.getProperty("java.class.path"),
                        "io.pgbluegreen.Application"), Duration.ofSeconds(40),
                Map.of("MICRONAUT_CONFIG_FILES", config.toString(), "MICRONAUT_SERVER_PORT", "-1"), null);
    }

    private static void assertCleanFailure(Exec.Result result, String mustMention) {
        String out = result.output();
        assertNotEquals(0, result.exitCode(), "the daemon must not come up: " + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("pg-bluegreen: ")), "a pg-bluegreen: line: " + out);
        assertTrue(out.contains(mustMention), "the message should name " + mustMention + ": " + out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    /** FAILS: a key store path that does not exist: ~80-line stack traces (SslConfigurationException, StacklessClosedChannelException) and "pg-bluegreen: cannot start: StacklessClosedChannelException", which names neither the file nor the key. */
    @Test
    void missingKeyStoreFile() throws IOException {
        Path missing = dir.resolve("nope.p12");
        assertCleanFailure(runDaemon(config("""
                enabled: true
                key-store: {path: "file:%s", password: secret, type: PKCS12}
                """.formatted(missing))), "nope.p12");
    }

    /** FAILS: the wrong key store password: stack traces ("keystore password was incorrect" only inside them), the one line says "StacklessClosedChannelException". */
    @Test
    void wrongKeyStorePassword() throws IOException {
        AgentCertificates certs = AgentCertificates.create(Files.createDirectories(dir.resolve("certs")));
        assertCleanFailure(runDaemon(config("""
                enabled: true
                key-store: {path: "file:%s", password: not-the-password, type: PKCS12}
                """.formatted(certs.keyStore()))), "password");
    }

    /** FAILS: TLS on, no key store: stack traces, "cannot start: StacklessClosedChannelException" (the cause, "No key store configured", is only in a logged trace). Exit code is non-zero (1) in all three. */
    @Test
    void noKeyStoreAtAll() throws IOException {
        assertCleanFailure(runDaemon(config("""
                enabled: true
                """)), "key-store");
    }
}
