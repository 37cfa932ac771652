package io.pgbluegreen.agent;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safety net's tags in Patroni's configuration file: {@code nofailover}, {@code noloadbalance} and {@code nosync}
 * keep a held replica out of failover and switchover candidacy, out of load balancers' /replica checks and out of
 * synchronous replication. They are appended as one marked block holding a second {@code tags:} key with the
 * member's own tags merged in: Patroni's YAML loader keeps the last of two equal keys, so the operator's file is
 * left byte for byte as it was, and removing the block restores it exactly. Patroni reads it on reload.
 */
final class PatroniTagsFile {
    static final Map<String, Object> EXCLUSION = Map.of("nofailover", true, "noloadbalance", true, "nosync", true);
    private static final String BEGIN = "# BEGIN pg-bluegreen safety net (removed at release; do not edit)";
    private static final String END = "# END pg-bluegreen safety net";
    private final Path file;

    PatroniTagsFile(Path file) {
        this.file = file;
    }

    /** Sets the exclusion tags (again: a block already there is replaced, so a retry is harmless). */
    TagsResult exclude() throws IOException {
        String original = withoutBlock(read());
        Map<String, Object> tags = new LinkedHashMap<>(tagsOf(original));
        tags.putAll(EXCLUSION);
        String block = "\n" + BEGIN + "\ntags: " + flow(tags) + "\n" + END + "\n";
        String updated = original + block;
        Files.writeString(file, updated, StandardCharsets.UTF_8);
        return new TagsResult(file.toString(), true, tagsOf(updated));
    }

    /** Removes the block; the file is then as the operator wrote it. */
    TagsResult restore() throws IOException {
        String current = read();
        String original = withoutBlock(current);
        boolean changed = !original.equals(current);
        if (changed) {
            Files.writeString(file, original, StandardCharsets.UTF_8);
        }
        return new TagsResult(file.toString(), changed, tagsOf(original));
    }

    private String read() throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static String withoutBlock(String text) {
        int begin = text.indexOf(BEGIN);
        if (begin < 0) {
            return text;
        }
        int end = text.indexOf(END, begin);
        if (end < 0) {
            throw new IllegalStateException("the pg-bluegreen block has no end line: fix the file by hand");
        }
        int after = end + END.length();
        if (after < text.length() && text.charAt(after) == '\n') {
            after++;
        }
        // the line break the block always puts before itself goes with it
        int start = begin > 0 && text.charAt(begin - 1) == '\n' ? begin - 1 : begin;
        return text.substring(0, start) + text.substring(after);
    }

    /** A YAML flow mapping (JSON): strings quoted and escaped, booleans and numbers as they are. */
    static String flow(Map<String, Object> tags) {
        StringBuilder out = new StringBuilder("{");
        tags.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(quoted(key)).append(": ");
            out.append(value instanceof Boolean || value instanceof Number ? String.valueOf(value) : quoted(String.valueOf(value)));
        });
        return out.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tagsOf(String yaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(root instanceof Map<?, ?> map) || !(map.get("tags") instanceof Map<?, ?> tags)) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) tags).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
