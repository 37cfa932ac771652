package io.pgbluegreen.metrics;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Every series over JMX, one MBean per owner under the domain {@value #DOMAIN}:
 * {@code io.pgbluegreen:type=target,name=blue}, {@code type=deployment}, {@code type=patroni}. One MBean per owner
 * instead of one per series (about 7,400 at 200 targets, each with its own objects and registry entry) keeps the
 * heap small and costs a publish nothing but a reference swap.
 */
@Singleton
@Requires(property = "pg-bluegreen.metrics.jmx", notEquals = "false")
public class JmxMirror implements AutoCloseable {
    static final String DOMAIN = "io.pgbluegreen";
    private static final Logger LOG = LoggerFactory.getLogger(JmxMirror.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Map<String, OwnerMBean> owners = new ConcurrentHashMap<>();
    private final Map<String, ObjectName> names = new ConcurrentHashMap<>();

    void publish(String owner, List<Series> series) {
        mbean(owner).publish(series);
    }

    /** A series of {@code owner} whose value is computed when read. */
    public void live(String owner, Series template, DoubleSupplier value) {
        mbean(owner).live(template, value);
    }

    /** The object name of an owner such as {@code target:blue}. */
    public static ObjectName objectName(String owner) {
        int colon = owner.indexOf(':');
        try {
            return new ObjectName(DOMAIN + ":type=" + value(owner.substring(0, colon))
                    + ",name=" + value(owner.substring(colon + 1)));
        } catch (JMException e) {
            throw new IllegalArgumentException("owner " + owner + " makes no JMX name: " + e.getMessage(), e);
        }
    }

    /** Plain names stay as they are; anything JMX would misread is quoted. */
    private static String value(String text) {
        return text.matches("[A-Za-z0-9_.-]+") ? text : ObjectName.quote(text);
    }

    private OwnerMBean mbean(String owner) {
        return owners.computeIfAbsent(owner, o -> {
            OwnerMBean mbean = new OwnerMBean(o);
            ObjectName name = objectName(o);
            try {
                if (server.isRegistered(name)) {
                    // left by an earlier daemon in the same JVM (tests, the sandbox): the newest owns the name
                    server.unregisterMBean(name);
                }
                server.registerMBean(mbean, name);
                names.put(o, name);
            } catch (JMException e) {
                LOG.warn("JMX: cannot register {}: {}", name, e.getMessage());
            }
            return mbean;
        });
    }

    @PreDestroy
    @Override
    public void close() {
        names.values().forEach(name -> {
            try {
                server.unregisterMBean(name);
            } catch (JMException ignored) {
                // already gone
            }
        });
        names.clear();
        owners.clear();
    }
}
