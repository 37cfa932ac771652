package io.pgbluegreen.api;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;

/**
 * Micronaut 4's Netty server, with SSL enabled, binds only its https listener, on {@code micronaut.server.ssl.port}
 * (default 8443), and ignores {@code micronaut.server.port}. The daemon and the agent each have one port, so the
 * https listener takes {@code micronaut.server.port} (the daemon's default 8080), whatever ssl.port says: turning
 * TLS on changes the scheme, not the port. With {@code micronaut.server.dual-protocol: true} (the daemon only; the
 * agent refuses it) Micronaut's own split is kept: plain HTTP on server.port, https on ssl.port.
 */
@Singleton
public class HttpsPort implements BeanCreatedEventListener<ServerSslConfiguration> {
    private final Environment environment;

    public HttpsPort(Environment environment) {
        this.environment = environment;
    }

    @Override
    public ServerSslConfiguration onCreated(BeanCreatedEvent<ServerSslConfiguration> event) {
        ServerSslConfiguration ssl = event.getBean();
        if (!environment.getProperty("micronaut.server.dual-protocol", Boolean.class).orElse(false)) {
            environment.getProperty("micronaut.server.port", Integer.class).ifPresent(ssl::setPort);
        }
        return ssl;
    }
}
