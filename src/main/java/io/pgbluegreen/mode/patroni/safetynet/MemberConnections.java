package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.JdbcAddress;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.config.Topology;

import java.util.Locale;
import java.util.Set;

/**
 * How the daemon reaches a Patroni member's PostgreSQL, given the host and port /cluster reports for it:
 * <ol>
 *   <li>a configured target whose URL names that host and port (names of the loopback interface count as one)
 *       is used as it is: its database, user, password and TLS settings;</li>
 *   <li>otherwise the deployment's own target for that side (green's for a replica, blue's for the leader) with
 *       the host and port replaced: same database, credentials and TLS settings. A Patroni cluster shares its
 *       roles, so the credentials that reach one member reach the others.</li>
 * </ol>
 * Matching a configured target first means an operator can give a member its own credentials or TLS files.
 */
public final class MemberConnections {
    private MemberConnections() {
    }

    public static TargetConfig forMember(Topology topology, DeploymentConfig deployment, String member, String host, int port,
                                  boolean leader) {
        for (TargetConfig target : topology.targets().values()) {
            JdbcAddress address = JdbcAddress.parse(target.url());
            if (address.port() == port && JdbcAddress.sameHost(address.host(), host)) {
                return target;
            }
        }
        TargetConfig base = topology.targets().get(leader ? deployment.blue() : deployment.green());
        return new TargetConfig(member, withHostPort(base.url(), host, port), base.user(), base.passwordFile(),
                base.passwordEnv(), base.sslMode(), base.sslRootCert(), base.sslCert(), base.sslKey());
    }


    /** The URL with its host list replaced by {@code host:port}; database and parameters kept. */
    static String withHostPort(String jdbcUrl, String host, int port) {
        int hosts = jdbcUrl.indexOf("//") + 2;
        int end = hosts;
        while (end < jdbcUrl.length() && jdbcUrl.charAt(end) != '/' && jdbcUrl.charAt(end) != '?') {
            end++;
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return jdbcUrl.substring(0, hosts) + h + ":" + port + jdbcUrl.substring(end);
    }
}
