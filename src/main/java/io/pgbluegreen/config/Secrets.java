package io.pgbluegreen.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads passwords at the moment they are needed (so a rotated file is picked up without a restart).
 * A trailing newline, as editors and `echo` leave it, is not part of the password.
 */
public final class Secrets {
    private Secrets() {
    }

    /** The password of a target, or empty when neither a file nor a variable is configured (trust/peer/cert auth). */
    public static Optional<String> password(TargetConfig target) {
        if (target.passwordFile() != null) {
            return Optional.of(readFile(target.passwordFile()));
        }
        if (target.passwordEnv() != null) {
            String value = System.getenv(target.passwordEnv());
            if (value == null) {
                throw new SecretUnavailableException("environment variable " + target.passwordEnv() + " is not set");
            }
            return Optional.of(value);
        }
        return Optional.empty();
    }

    public static String readFile(String file) {
        try {
            return stripTrailingNewlines(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            throw new SecretUnavailableException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String stripTrailingNewlines(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The message names the file or variable, never the secret. */
    public static final class SecretUnavailableException extends RuntimeException {
        public SecretUnavailableException(String message) {
            super(message);
        }
    }
}
