package io.pgbluegreen.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's runbooks as data: every fenced block whose info string carries {@code runbook=<name>} and
 * {@code step=<step>} (```sh runbook=physical step=gate), its commands, and under each command the line
 * {@code # -> <status> <fragment> ... [(repeat until)]} that says what the operator sees. Fragments are separated by
 * blanks; one with blanks in it is written between single quotes. Other comment lines are prose.
 */
final class ReadmeRunbooks {
    /** The runbooks the README must give, in the order ReadmeRunbookIT runs them. */
    static final List<String> SANDBOX_RUNBOOKS = List.of("physical", "rollback", "attach", "logical");
    static final List<String> PATRONI_RUNBOOKS = List.of("patroni-switchover", "safety-net");
    static final String REPEAT = "(repeat until)";
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w[\\w-]*)=(\\S+)");

    private ReadmeRunbooks() {
    }

    record Expectation(int status, List<String> fragments, boolean repeat, String text) {
    }

    record Command(String text, Expectation expectation, int line) {
    }

    /** {@code problems} are what makes the block malformed (empty when well-formed). */
    record Block(String runbook, String step, int line, String info, List<Command> commands, List<String> problems) {
        String where() {
            return "README.md:" + line + " (runbook=" + runbook + " step=" + step + ")";
        }
    }

    static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("README.md");
    }

    static List<Block> parse() {
        try {
            return parse(Files.readAllLines(readme()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every marked block, in README order. */
    static List<Block> parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                continue;
            }
            String info = line.substring(3).trim();
            int open = i;
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).trim().equals("```")) {
                end++;
            }
            if (info.contains("runbook=")) {
                blocks.add(block(info, open + 1, lines.subList(open + 1, Math.min(end, lines.size())), end >= lines.size()));
            }
            i = end;
        }
        return blocks;
    }

    private static Block block(String info, int lineNumber, List<String> body, boolean unclosed) {
        List<String> problems = new ArrayList<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        String[] words = info.split("\\s+");
        if (!words[0].equals("sh")) {
            problems.add("the info string must start with the language 'sh', not '" + words[0] + "'");
        }
        for (int w = 1; w < words.length; w++) {
            Matcher m = ATTRIBUTE.matcher(words[w]);
            if (m.matches()) {
                attributes.put(m.group(1), m.group(2));
            } else {
                problems.add("'" + words[w] + "' is not key=value");
            }
        }
        for (String key : attributes.keySet()) {
            if (!key.equals("runbook") && !key.equals("step")) {
                problems.add("unknown attribute " + key);
            }
        }
        if (!attributes.containsKey("step")) {
            problems.add("no step=");
        }
        if (unclosed) {
            problems.add("the block is not closed");
        }
        List<Command> commands = new ArrayList<>();
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int k = 0; k < body.size(); k++) {
            String raw = body.get(k);
            String trimmed = raw.trim();
            int at = lineNumber + 1 + k;
            if (pending != null) {
                pending.append(' ').append(stripContinuation(trimmed));
                if (!trimmed.endsWith("\\")) {
                    commands.add(new Command(pending.toString(), null, pendingLine));
                    pending = null;
                }
                continue;
            }
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("# ->")) {
                if (commands.isEmpty() || commands.get(commands.size() - 1).expectation() != null) {
                    problems.add("line " + at + ": an expected answer under no command");
                    continue;
                }
                Command last = commands.remove(commands.size() - 1);
                try {
                    commands.add(new Command(last.text(), expectation(trimmed.substring(4).trim()), last.line()));
                } catch (IllegalArgumentException e) {
                    problems.add("line " + at + ": " + e.getMessage());
                    commands.add(last);
                }
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending = new StringBuilder(stripContinuation(trimmed));
                pendingLine = at;
            } else {
                commands.add(new Command(trimmed, null, at));
            }
        }
        if (pending != null) {
            problems.add("a command ends with a continuation");
        }
        if (commands.isEmpty()) {
            problems.add("no command");
        }
        for (Command c : commands) {
            if (c.expectation() == null) {
                problems.add("line " + c.line() + ": no '# -> <status> ...' line under the command");
            }
        }
        return new Block(attributes.get("runbook"), attributes.get("step"), lineNumber, info, commands, problems);
    }

    private static String stripContinuation(String line) {
        return line.endsWith("\\") ? line.substring(0, line.length() - 1).trim() : line;
    }

    /** {@code 202 "state":"running" 'a b' (repeat until)}. */
    static Expectation expectation(String text) {
        String rest = text.trim();
        boolean repeat = rest.endsWith(REPEAT);
        if (repeat) {
            rest = rest.substring(0, rest.length() - REPEAT.length()).trim();
        }
        List<String> tokens = tokens(rest);
        if (tokens.isEmpty() || !tokens.get(0).matches("[1-5]\\d\\d")) {
            throw new IllegalArgumentException("an expected answer starts with the HTTP status: '" + text + "'");
        }
        return new Expectation(Integer.parseInt(tokens.get(0)), List.copyOf(tokens.subList(1, tokens.size())), repeat, text);
    }

    /** Blank-separated; {@code '...'} keeps blanks (and drops the quotes). */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed ' in '" + text + "'");
                }
                tokens.add(text.substring(i + 1, close));
                i = close + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                tokens.add(text.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    /** The blocks of each runbook, in README order. */
    static Map<String, List<Block>> byRunbook(List<Block> blocks) {
        Map<String, List<Block>> map = new LinkedHashMap<>();
        for (Block b : blocks) {
            map.computeIfAbsent(b.runbook(), k -> new ArrayList<>()).add(b);
        }
        return map;
    }

    /** What a runbook command asks: the curl's method, URL (as written, variables unexpanded), headers and body. */
    record Curl(String method, String url, List<String> headers, String data, List<String> pipe, List<String> problems) {
        /** The path after {@code $PGBG}, without the query. */
        String path() {
            String rest = url.startsWith("$PGBG") ? url.substring("$PGBG".length()) : url;
            int q = rest.indexOf('?');
            return q < 0 ? rest : rest.substring(0, q);
        }
    }

    /** Reads a command line as /bin/sh would split it, for the curl options the runbooks use. */
    static Curl curl(String command) {
        List<String> problems = new ArrayList<>();
        List<String> words = shellWords(command, problems);
        int bar = words.indexOf("|");
        List<String> curl = bar < 0 ? words : words.subList(0, bar);
        List<String> pipe = bar < 0 ? List.of() : List.copyOf(words.subList(bar + 1, words.size()));
        String method = null;
        String url = null;
        String data = null;
        List<String> headers = new ArrayList<>();
        if (curl.isEmpty() || !curl.get(0).equals("curl")) {
            problems.add("not a curl command");
        }
        for (int i = 1; i < curl.size(); i++) {
            String w = curl.get(i);
            switch (w) {
                case "-s" -> { }
                case "-X" -> method = i + 1 < curl.size() ? curl.get(++i) : null;
                case "-H" -> headers.add(i + 1 < curl.size() ? curl.get(++i) : "");
                case "-d" -> data = i + 1 < curl.size() ? curl.get(++i) : "";
                default -> {
                    if (w.startsWith("-")) {
                        problems.add("curl option " + w + " is not one the runbooks use (-s, -X, -H, -d)");
                    } else if (url == null) {
                        url = w;
                    } else {
                        problems.add("a second URL " + w);
                    }
                }
            }
        }
        if (method == null) {
            method = data == null ? "GET" : "POST";
        }
        if (url == null) {
            problems.add("no URL");
            url = "";
        } else if (!url.startsWith("$PGBG/")) {
            problems.add("the URL must be $PGBG/...: " + url);
        }
        if (bar >= 0 && (pipe.isEmpty() || !pipe.get(0).equals("grep") || pipe.contains("|"))) {
            problems.add("only one '| grep ...' may follow the curl");
        }
        Matcher variables = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)").matcher(command);
        while (variables.find()) {
            if (!List.of("PGBG", "TOKEN", "LSN").contains(variables.group(1))) {
                problems.add("variable $" + variables.group(1) + " is none the test sets (PGBG, TOKEN, LSN)");
            }
        }
        if (command.contains("`") || command.contains("$(") || command.contains(";")) {
            problems.add("no command substitution or ; in a runbook command");
        }
        return new Curl(method, url, List.copyOf(headers), data, pipe, problems);
    }

    /** Splits like /bin/sh: '...' literal, "..." with \\ escapes (variables kept as written), a bare | a word of its own. */
    static List<String> shellWords(String command, List<String> problems) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
            } else if (c == '|') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                words.add("|");
                i++;
            } else if (c == '\'') {
                int close = command.indexOf('\'', i + 1);
                if (close < 0) {
                    problems.add("unclosed '");
                    close = command.length();
                }
                word = word == null ? new StringBuilder() : word;
                word.append(command, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                i++;
                while (i < command.length() && command.charAt(i) != '"') {
                    if (command.charAt(i) == '\\' && i + 1 < command.length()) {
                        i++;
                    }
                    word.append(command.charAt(i));
                    i++;
                }
                if (i >= command.length()) {
                    problems.add("unclosed \"");
                }
                i++;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
