package io.pgbluegreen.metrics;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The current value of every pg-bluegreen series, grouped by owner (a target, a deployment, a cluster).
 * A publish replaces an owner's series: values are rendered to exposition lines right away (on the sampler's
 * thread), so a scrape only concatenates text; series that are gone (a standby that left, a dropped slot) vanish.
 * The same series back JMX ({@link JmxMirror}: one MBean per owner).
 * We render Prometheus text ourselves because Micrometer strips the {@code _info} suffix our info series need.
 */
@Singleton
public class SeriesBoard {
    private final JmxMirror jmx;
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    private final Map<String, MetricDef> defs = new ConcurrentSkipListMap<>();
    private final Map<String, Supplier<List<Series>>> scrapeTime = new ConcurrentHashMap<>();

    private record Owner(Map<String, String> linesByName) {
    }

    public SeriesBoard(@Nullable JmxMirror jmx) {
        this.jmx = jmx;
    }

    public void publish(String owner, List<Series> series) {
        synchronized (lock(owner)) {
            Map<String, StringBuilder> lines = new LinkedHashMap<>();
            for (Series s : series) {
                defs.putIfAbsent(s.def().exportedName(), s.def());
                Exposition.line(lines.computeIfAbsent(s.def().exportedName(), n -> new StringBuilder()), s);
            }
            Map<String, String> rendered = new HashMap<>();
            lines.forEach((name, text) -> rendered.put(name, text.toString()));
            owners.put(owner, new Owner(rendered));
            if (jmx != null) {
                jmx.publish(owner, series);
            }
        }
    }

    /** Series whose value must be computed when scraped (e.g. a sample's age, which grows while a target hangs). */
    public void scrapeTime(MetricDef def, Supplier<List<Series>> supplier) {
        defs.putIfAbsent(def.exportedName(), def);
        scrapeTime.put(def.exportedName(), supplier);
    }

    /**
     * Prometheus text format 0.0.4 of the published series: every family once, its HELP and TYPE, then its lines
     * from every owner. Scrape-time families are left to {@link #renderScrapeTime}.
     */
    public void renderPublished(StringBuilder out) {
        List<Owner> snapshot = new ArrayList<>(owners.values());
        for (Map.Entry<String, MetricDef> family : defs.entrySet()) {
            if (scrapeTime.containsKey(family.getKey())) {
                continue;
            }
            int headerAt = out.length();
            Exposition.header(out, family.getValue());
            int bodyAt = out.length();
            for (Owner owner : snapshot) {
                String lines = owner.linesByName().get(family.getKey());
                if (lines != null) {
                    out.append(lines);
                }
            }
            if (out.length() == bodyAt) {
                out.setLength(headerAt);
            }
        }
    }

    /** The families whose values are computed now (they must keep moving while a target hangs). */
    public void renderScrapeTime(StringBuilder out) {
        scrapeTime.forEach((name, supplier) -> {
            List<Series> series = supplier.get();
            if (!series.isEmpty()) {
                Exposition.header(out, defs.get(name));
                series.forEach(s -> Exposition.line(out, s));
            }
        });
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private Object lock(String owner) {
        return locks.computeIfAbsent(owner, o -> new Object());
    }
}
