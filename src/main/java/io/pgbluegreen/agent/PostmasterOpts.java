package io.pgbluegreen.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line PostgreSQL last ran with, from {@code postmaster.opts}, turned into pg_ctl's {@code -o} string.
 * Patroni gives port, listen_addresses, hot_standby and the like only on the command line, so a start without
 * them would come up wrong (another port, no replicas). pg_ctl hands {@code -o} to /bin/sh: every argument is
 * checked against a strict set of characters and single-quoted, and a file that does not parse is refused, never
 * guessed at.
 */
final class PostmasterOpts {
    /** What an option of a postmaster command line needs; nothing a shell gives meaning to. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.,/:=+@%-]+");
    private static final Pattern RECOVERY_TARGET = Pattern.compile("-{0,2}recovery_target\\w*=.*");

    private PostmasterOpts() {
    }

    /** Thrown for a file the agent will not start from; the message says why, naming the argument. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The arguments after the binary, without the data directory (pg_ctl passes its own -D) and without any recovery
     * target an earlier recovery left there (a later start must not stop replay at an old point).
     * Format, as the postmaster writes it: {@code /path/to/postgres "-D" "/data" "--port=5433"}.
     */
    static List<String> parse(String content) throws Refused {
        String line = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (line.contains("\n") || line.contains("\r")) {
            throw new Refused("postmaster.opts has more than one line");
        }
        int first = line.indexOf(" \"");
        if (first < 0) {
            return List.of();
        }
        List<String> raw = new ArrayList<>();
        Matcher m = Pattern.compile(" \"([^\"]*)\"").matcher(line);
        int at = first;
        while (at < line.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new Refused("postmaster.opts does not parse after " + clip(line.substring(0, at))
                        + " (an argument with a double quote?)");
            }
            raw.add(m.group(1));
            at = m.end();
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            if (arg.equals("-D") || arg.equals("--pgdata")) {
                i++;
                continue;
            }
            if (arg.startsWith("--pgdata=") || (arg.startsWith("-D") && arg.length() > 2)) {
                continue;
            }
            if (arg.equals("-c") && i + 1 < raw.size() && RECOVERY_TARGET.matcher(raw.get(i + 1)).matches()) {
                i++;
                continue;
            }
            if (RECOVERY_TARGET.matcher(arg).matches() && arg.startsWith("--")) {
                continue;
            }
            args.add(safe(arg));
        }
        return args;
    }

    static String safe(String arg) throws Refused {
        if (!SAFE.matcher(arg).matches()) {
            String bad = arg.isEmpty() ? "it is empty" : "it contains " + describe(firstUnsafe(arg));
            throw new Refused("refusing to pass argument '" + clip(arg) + "' to pg_ctl -o (which runs it through"
                    + " /bin/sh): " + bad);
        }
        return arg;
    }

    /** The -o string: every argument single-quoted (safe() has already refused quotes and the like). */
    static String toOption(List<String> args) {
        StringBuilder option = new StringBuilder();
        for (String arg : args) {
            if (option.length() > 0) {
                option.append(' ');
            }
            option.append('\'').append(arg).append('\'');
        }
        return option.toString();
    }

    private static char firstUnsafe(String arg) {
        for (char c : arg.toCharArray()) {
            if (!SAFE.matcher(String.valueOf(c)).matches()) {
                return c;
            }
        }
        return '?';
    }

    private static String describe(char c) {
        return switch (c) {
            case '\n' -> "a newline";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            case ' ' -> "a space";
            default -> Character.isISOControl(c) ? "a control character" : "'" + c + "'";
        };
    }

    private static String clip(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 80 ? oneLine : "..." + oneLine.substring(oneLine.length() - 80);
    }
}
