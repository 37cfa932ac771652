package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * GET / : the status page for people, three fixed files from {@code src/main/resources/status-page} (not
 * {@code public/}, which Micronaut's default static-resource mapping would also serve in agent mode). The page reads
 * the JSON endpoints with GETs only and needs no token. Its Content-Security-Policy lets it load nothing but its own
 * files and this daemon's JSON: no inline script, no other host.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller
public class StatusPageController {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private final byte[] html = read("index.html");
    private final byte[] css = read("status.css");
    private final byte[] js = read("status.js");

    @Get(produces = "text/html; charset=utf-8")
    public HttpResponse<byte[]> page() {
        return serve(html);
    }

    @Get(uri = "/status.css", produces = "text/css; charset=utf-8")
    public HttpResponse<byte[]> css() {
        return serve(css);
    }

    @Get(uri = "/status.js", produces = "text/javascript; charset=utf-8")
    public HttpResponse<byte[]> js() {
        return serve(js);
    }

    private static MutableHttpResponse<byte[]> serve(byte[] body) {
        return HttpResponse.ok(body)
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(String file) {
        try (InputStream in = StatusPageController.class.getResourceAsStream("/status-page/" + file)) {
            if (in == null) {
                throw new IllegalStateException("status page file missing from the jar: status-page/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
