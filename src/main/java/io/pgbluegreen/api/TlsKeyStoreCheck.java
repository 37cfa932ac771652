package io.pgbluegreen.api;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.pgbluegreen.config.InvalidConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * With TLS on ({@code micronaut.server.ssl.enabled}), the key store is opened at start, before the server binds: a
 * missing file, a wrong password or a store without a key is a configuration problem naming its key (exit 2, one line
 * each), rather than Micronaut's stack traces and a server that never listens. Runs in both the daemon and the agent.
 */
@Context
public class TlsKeyStoreCheck {
    static final String PREFIX = "micronaut.server.ssl.";

    public TlsKeyStoreCheck(Environment environment) {
        if (!environment.getProperty(PREFIX + "enabled", Boolean.class).orElse(false)) {
            return;
        }
        List<String> problems = problems(environment.getProperty(PREFIX + "key-store.path", String.class),
                environment.getProperty(PREFIX + "key-store.password", String.class).orElse(""),
                environment.getProperty(PREFIX + "key-store.type", String.class).orElse("PKCS12"));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    static List<String> problems(Optional<String> path, String password, String type) {
        List<String> problems = new ArrayList<>();
        if (path.isEmpty() || path.get().isBlank()) {
            problems.add(PREFIX + "key-store.path: missing (TLS is on: a PKCS12 key store such as file:/etc/pg-bluegreen/api.p12)");
            return problems;
        }
        if (!path.get().startsWith("file:")) {
            // classpath: stores are the packager's business; Micronaut opens them itself
            return problems;
        }
        Path file = Path.of(path.get().substring("file:".length()));
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            boolean hasKey = false;
            for (String alias : java.util.Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                problems.add(PREFIX + "key-store.path: " + file + " holds no private key (a server certificate with its key)");
            }
        } catch (NoSuchFileException e) {
            problems.add(PREFIX + "key-store.path: " + file + ": no such file");
        } catch (IOException e) {
            problems.add(PREFIX + "key-store: cannot open " + file + " as " + type + ": " + (e.getCause() != null
                    && e.getCause().getClass().getSimpleName().contains("UnrecoverableKey") || String.valueOf(e.getMessage())
                    .contains("password") ? "wrong password (micronaut.server.ssl.key-store.password)" : e.getMessage()));
        } catch (GeneralSecurityException e) {
            problems.add(PREFIX + "key-store.type: " + type + ": " + e.getMessage());
        }
        return problems;
    }
}
