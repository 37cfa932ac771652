package io.pgbluegreen.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * GET /prometheus: our series from memory, then Micrometer's JVM and process metrics. Never touches a database,
 * so it answers at once while targets hang. (Micronaut's own endpoint is disabled in application.yml.)
 */
@Controller
public class PrometheusController {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final SeriesBoard board;
    private final PrometheusMeterRegistry jvmRegistry;

    public PrometheusController(SeriesBoard board, @Nullable PrometheusMeterRegistry jvmRegistry) {
        this.board = board;
        this.jvmRegistry = jvmRegistry;
    }

    @Get(value = "/prometheus", produces = CONTENT_TYPE)
    public String scrape() {
        StringBuilder out = new StringBuilder(64 * 1024);
        board.render(out);
        if (jvmRegistry != null) {
            out.append(jvmRegistry.scrape());
        }
        return out.toString();
    }
}
