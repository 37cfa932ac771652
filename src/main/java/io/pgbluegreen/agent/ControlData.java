package io.pgbluegreen.agent;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/** pg_controldata's output (run in the C locale) as label -> value; the few values the agent reads, typed. */
record ControlData(Map<String, String> values) {

    static ControlData parse(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return new ControlData(values);
    }

    @Nullable
    String clusterState() {
        return values.get("Database cluster state");
    }

    @Nullable
    Integer timeline() {
        return number("Latest checkpoint's TimeLineID") == null ? null : number("Latest checkpoint's TimeLineID").intValue();
    }

    @Nullable
    Long segmentBytes() {
        return number("Bytes per WAL segment");
    }

    @Nullable
    private Long number(String label) {
        String value = values.get(label);
        if (value == null || !value.matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(value);
    }
}
