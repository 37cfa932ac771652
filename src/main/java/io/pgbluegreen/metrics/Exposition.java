package io.pgbluegreen.metrics;

import io.micrometer.core.instrument.Tag;

/** Prometheus text exposition format 0.0.4, for our own series. */
final class Exposition {
    private Exposition() {
    }

    static void header(StringBuilder out, MetricDef def) {
        String name = def.exportedName();
        out.append("# HELP ").append(name).append(' ');
        escape(out, def.help(), false);
        out.append("\n# TYPE ").append(name).append(' ')
                .append(def.kind() == MetricDef.Kind.COUNTER ? "counter" : "gauge").append('\n');
    }

    static void line(StringBuilder out, Series s) {
        name(out, s);
        out.append(' ').append(value(s.value())).append('\n');
    }

    /** The series' name and labels, as a line shows them before the value. */
    static void name(StringBuilder out, Series s) {
        out.append(s.def().exportedName());
        if (!s.tags().isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Tag tag : s.tags()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(tag.getKey()).append("=\"");
                escape(out, tag.getValue(), true);
                out.append('"');
            }
            out.append('}');
        }
    }

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static void escape(StringBuilder out, String text, boolean quote) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }
}
