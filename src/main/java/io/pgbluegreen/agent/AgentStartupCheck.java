package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.ssl.ServerSslConfiguration;
import io.pgbluegreen.api.ApiConfig;
import io.pgbluegreen.config.InvalidConfigurationException;

import java.util.List;

/**
 * Created eagerly, before the HTTP server binds: an agent whose settings are wrong, or that would serve its API
 * in the clear anywhere but on loopback, or without a token, never starts (one line per problem, exit 2, through
 * Application's handler for {@link InvalidConfigurationException}).
 */
@Context
@Requires(property = AgentConfig.ENABLED, value = "true")
public class AgentStartupCheck {
    public AgentStartupCheck(AgentConfig agent, ApiConfig api, HttpServerConfiguration server,
                             ServerSslConfiguration ssl, Environment environment) {
        String user = System.getProperty("user.name");
        var bound = new AgentSettings.Server(ssl.isEnabled(), server.getHost().orElse(null),
                ssl.getKeyStore().getPath().orElse(null),
                environment.getProperty("micronaut.server.dual-protocol", Boolean.class).orElse(false));
        List<String> problems = AgentSettings.problems(agent, api.tokenFile(), bound, "root".equals(user), user);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }
}
