package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.ssl.ServerSslConfiguration;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.pgbluegreen.config.Loopback;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the server is up: a plain-HTTP listener on anything but a loopback address (127.0.0.0/8, ::1, as an address
 * literal; an unset host means every interface) is one WARN, since the bearer token of mutating calls crosses the
 * network in clear there. Loopback plain HTTP (the default 127.0.0.1) and HTTPS alone log nothing. The agent refuses
 * such a listener outright (AgentStartupCheck), so this is the daemon's.
 */
@Singleton
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
public class PlainHttpWarning implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(PlainHttpWarning.class);
    private final HttpServerConfiguration server;
    private final ServerSslConfiguration ssl;
    private final Environment environment;

    public PlainHttpWarning(HttpServerConfiguration server, ServerSslConfiguration ssl, Environment environment) {
        this.server = server;
        this.ssl = ssl;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        boolean dualProtocol = environment.getProperty("micronaut.server.dual-protocol", Boolean.class).orElse(false);
        if (ssl.isEnabled() && !dualProtocol) {
            return;
        }
        String host = server.getHost().orElse(null);
        if (Loopback.isLoopback(host)) {
            return;
        }
        // with dual-protocol the event's server reports the https port; the plain listener is on server.port
        int port = dualProtocol ? server.getPort().orElse(event.getSource().getPort()) : event.getSource().getPort();
        LOG.warn(message(host, port));
    }

    static String message(String host, int port) {
        String where = host == null || host.isBlank() ? "every interface (micronaut.server.host unset), port " + port
                : host + ":" + port;
        return "the API serves plain HTTP on " + where + ", not only on loopback: the bearer token of mutating calls"
                + " (cutover, rollback) travels in clear. Turn on TLS: micronaut.server.ssl.enabled: true with a PKCS12"
                + " key store (micronaut.server.ssl.key-store.path, .password, .type: PKCS12); https is then served on"
                + " micronaut.server.port (README \"Install\"), or bind micronaut.server.host to 127.0.0.1";
    }
}
