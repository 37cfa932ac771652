package io.pgbluegreen.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses Prometheus text exposition into samples, enough for assertions (no escapes in our label values). */
public final class PromText {
    public record Sample(String name, Map<String, String> labels, double value) {
        public boolean matches(String wantedName, Map<String, String> wantedLabels) {
            return name.equals(wantedName) && labels.entrySet().containsAll(wantedLabels.entrySet());
        }
    }

    private PromText() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : splitLabels(body)) {
                    int eq = pair.indexOf('=');
                    labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            } else {
                name = line.substring(0, space);
            }
            samples.add(new Sample(name, labels, parseValue(line.substring(space + 1))));
        }
        return samples;
    }

    private static List<String> splitLabels(String body) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' && (i == 0 || body.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        if (start < body.length()) {
            parts.add(body.substring(start));
        }
        return parts;
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
