package io.pgbluegreen.metrics;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanConstructorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The series of one owner (a target, a deployment, a Patroni cluster) as one MBean: one read-only double attribute
 * per series, named like its exposition line without the value ({@code pgbg_up{target="blue"}}). A publish only
 * swaps the list it reads; attribute names are built when a JMX client asks, which is rare next to the samples.
 */
final class OwnerMBean implements DynamicMBean {
    private final String owner;
    private volatile List<Series> series = List.of();
    /** Values computed when read (a sample's age keeps growing while a target hangs). */
    private final Map<String, DoubleSupplier> live = new ConcurrentHashMap<>();
    private final Map<String, String> liveHelp = new ConcurrentHashMap<>();

    OwnerMBean(String owner) {
        this.owner = owner;
    }

    void publish(List<Series> latest) {
        series = latest;
    }

    void live(Series template, DoubleSupplier value) {
        String name = attributeName(template);
        live.put(name, value);
        liveHelp.put(name, template.def().help());
    }

    static String attributeName(Series s) {
        StringBuilder name = new StringBuilder();
        Exposition.name(name, s);
        return name.toString();
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        DoubleSupplier computed = live.get(attribute);
        if (computed != null) {
            return computed.getAsDouble();
        }
        for (Series s : series) {
            if (attributeName(s).equals(attribute)) {
                return s.value();
            }
        }
        throw new AttributeNotFoundException(owner + " has no series " + attribute + " (now)");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList values = new AttributeList();
        for (String attribute : attributes) {
            try {
                values.add(new Attribute(attribute, getAttribute(attribute)));
            } catch (AttributeNotFoundException gone) {
                // a series that went away between listing and reading is left out, as JMX allows
            }
        }
        return values;
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException("pg-bluegreen series are read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("pg-bluegreen series have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (Series s : series) {
            attributes.add(new MBeanAttributeInfo(attributeName(s), "double", s.def().help(), true, false, false));
        }
        live.keySet().stream().sorted().forEach(name ->
                attributes.add(new MBeanAttributeInfo(name, "double", liveHelp.get(name), true, false, false)));
        return new MBeanInfo(OwnerMBean.class.getName(), "pg-bluegreen series of " + owner,
                attributes.toArray(new MBeanAttributeInfo[0]), new MBeanConstructorInfo[0], new MBeanOperationInfo[0],
                new MBeanNotificationInfo[0]);
    }
}
