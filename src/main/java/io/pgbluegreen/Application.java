package io.pgbluegreen;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import io.pgbluegreen.config.InvalidConfigurationException;
import io.pgbluegreen.journal.JournalCorruptException;

/**
 * Starts the daemon. A start that fails prints what is wrong, one line per problem, and exits non-zero:
 * 2 for a bad configuration or a damaged journal (a restart cannot fix either), 1 for anything else (port in use,
 * ...). No stack trace reaches the operator.
 */
public class Application extends Micronaut {
    static final int EXIT_BAD_CONFIG = 2;
    static final int EXIT_START_FAILED = 1;

    public static void main(String[] args) {
        new Application().mainClass(Application.class).banner(false).args(args).start();
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        InvalidConfigurationException invalid = find(exception, InvalidConfigurationException.class);
        if (invalid != null) {
            System.err.println("pg-bluegreen: invalid configuration:");
            invalid.problems().forEach(p -> System.err.println("  " + p));
            System.exit(EXIT_BAD_CONFIG);
        }
        JournalCorruptException journal = find(exception, JournalCorruptException.class);
        if (journal != null) {
            System.err.println("pg-bluegreen: cannot start: " + journal.getMessage());
            System.exit(EXIT_BAD_CONFIG);
        }
        System.err.println("pg-bluegreen: cannot start: " + rootMessage(exception));
        System.exit(EXIT_START_FAILED);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // Micronaut's messages can carry a bean resolution path: the first line says what failed.
        return message.lines().findFirst().orElse(message);
    }
}
