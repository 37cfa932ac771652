package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;

/**
 * Micronaut 4's Netty server, with SSL enabled, binds only its https listener, on {@code micronaut.server.ssl.port}
 * (default 8443), and ignores {@code micronaut.server.port}. The agent has one port, so in agent mode the https
 * listener takes {@code micronaut.server.port}, whatever ssl.port says (plain http is not served next to it).
 */
@Singleton
@Requires(property = AgentConfig.ENABLED, value = "true")
public class AgentHttpsPort implements BeanCreatedEventListener<ServerSslConfiguration> {
    private final Environment environment;

    public AgentHttpsPort(Environment environment) {
        this.environment = environment;
    }

    @Override
    public ServerSslConfiguration onCreated(BeanCreatedEvent<ServerSslConfiguration> event) {
        ServerSslConfiguration ssl = event.getBean();
        environment.getProperty("micronaut.server.port", Integer.class).ifPresent(ssl::setPort);
        return ssl;
    }
}
