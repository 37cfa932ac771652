package io.pgbluegreen.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * GET /prometheus: our series from memory, then Micrometer's JVM and process metrics. Never touches a database,
 * so it answers at once while targets hang. The published series and the JVM metrics are rendered at most every
 * {@link #REUSE_NANOS} (samples arrive once a second per target, so a scrape sees them at most that much later)
 * and kept as bytes: scrapers polling in parallel or in a tight loop cost one render, not one each. The sample
 * ages are computed on every scrape. Both go out in one pooled direct buffer (Netty releases it once written):
 * a heap copy per scrape, or Netty merging a composite buffer on the heap, was most of what the daemon allocated at
 * 200 targets (62%, by JFR). (Micronaut's own endpoint is disabled in application.yml.)
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller
public class PrometheusController {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final long REUSE_NANOS = 200_000_000L;
    private final SeriesBoard board;
    private final PrometheusMeterRegistry jvmRegistry;
    private volatile byte[] rendered;
    private volatile long renderedAt;

    public PrometheusController(SeriesBoard board, @Nullable PrometheusMeterRegistry jvmRegistry) {
        this.board = board;
        this.jvmRegistry = jvmRegistry;
    }

    @Get(value = "/prometheus", produces = CONTENT_TYPE)
    public ByteBuf scrape() {
        byte[] published = published();
        StringBuilder ages = new StringBuilder(16 * 1024);
        board.renderScrapeTime(ages);
        byte[] now = ages.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBufAllocator.DEFAULT.directBuffer(published.length + now.length).writeBytes(published).writeBytes(now);
    }

    private byte[] published() {
        long now = System.nanoTime();
        byte[] cached = rendered;
        if (cached != null && now - renderedAt < REUSE_NANOS) {
            return cached;
        }
        synchronized (this) {
            if (rendered != null && System.nanoTime() - renderedAt < REUSE_NANOS) {
                return rendered;
            }
            int previous = rendered == null ? 64 * 1024 : rendered.length + 4096;
            StringBuilder out = new StringBuilder(previous);
            board.renderPublished(out);
            if (jvmRegistry != null) {
                out.append(jvmRegistry.scrape());
            }
            rendered = out.toString().getBytes(StandardCharsets.UTF_8);
            renderedAt = System.nanoTime();
            return rendered;
        }
    }
}
